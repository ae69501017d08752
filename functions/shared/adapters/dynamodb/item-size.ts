import { utf8Bytes } from '../../domain/import/store-limits.ts';

/**
 * The size DynamoDB counts for an item, by its published rules ("DynamoDB item sizes and formats"):
 * each attribute is its name in UTF-8 bytes plus its value, where a string is its UTF-8 bytes, a
 * number 1 byte per two significant digits (leading and trailing zeros trimmed) plus 1, a binary its
 * raw bytes, a null or Boolean 1 byte, and a list or map 3 bytes plus its elements, each element 1
 * byte more (a map's element counts its name too). A set is the sum of its elements. Values are the
 * document client's (native JavaScript); an undefined attribute is not written, so it counts nothing.
 */
export const itemSize = (item: Readonly<Record<string, unknown>>): number => {
  let total = 0;
  for (const [name, value] of Object.entries(item))
    if (value !== undefined) total += utf8Bytes(name) + valueSize(value);
  return total;
};

/** 1 byte per two significant digits, plus 1: "120000" and "12" take the same 2 bytes. */
export const numberSize = (value: number | bigint | string): number => {
  const [mantissa = ''] = String(value).toLowerCase().replace(/^[-+]/, '').split('e');
  const digits = mantissa.replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return Math.ceil(Math.max(digits.length, 1) / 2) + 1;
};

const valueSize = (value: unknown): number => {
  if (value === null || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return utf8Bytes(value);
  if (typeof value === 'number' || typeof value === 'bigint') return numberSize(value);
  if (value instanceof Uint8Array) return value.byteLength;
  if (value instanceof Set) {
    let total = 0;
    for (const element of value) total += valueSize(element);
    return total;
  }
  if (Array.isArray(value)) {
    let total = 3;
    for (const element of value) total += 1 + valueSize(element);
    return total;
  }
  if (typeof value === 'object') {
    let total = 3;
    for (const [name, element] of Object.entries(value))
      if (element !== undefined) total += 1 + utf8Bytes(name) + valueSize(element);
    return total;
  }
  throw new TypeError(`a ${typeof value} cannot be stored in DynamoDB`);
};
