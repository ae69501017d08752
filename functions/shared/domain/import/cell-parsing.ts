import { z } from 'zod';

/** The refinement context a cell check reports its problem through. */
export type Ctx = z.core.$RefinementCtx;

/** Records `message` as the cell's problem; the value returned is never used. */
export const fail = (ctx: Ctx, message: string): never => {
  ctx.addIssue({ code: 'custom', message });
  return z.NEVER as never;
};

const INVALID = Symbol('invalid cell');

/**
 * A cell as text: trimmed, empty meaning absent. JSON numbers are welcome for ids (1001) but not for
 * amounts, which must be decimal strings so that no float ever holds money.
 */
const cellText = (value: unknown, kind: 'text' | 'amount', ctx: Ctx): string | undefined | typeof INVALID => {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && kind === 'amount') {
    fail(ctx, 'amounts must be decimal strings such as "1234.50", not JSON numbers');
    return INVALID;
  }
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (typeof value !== 'string') {
    fail(ctx, 'expected text');
    return INVALID;
  }
  const text = value.trim();
  return text === '' ? undefined : text;
};

export const required = <T>(check: (text: string, ctx: Ctx) => T, kind: 'text' | 'amount' = 'text') =>
  z.transform((value: unknown, ctx): T => {
    const text = cellText(value, kind, ctx);
    if (text === INVALID) return z.NEVER as T;
    if (text === undefined) return fail(ctx, 'required field is empty');
    return check(text, ctx);
  });

export const optional = <T>(check: (text: string, ctx: Ctx) => T, kind: 'text' | 'amount' = 'text') =>
  z.transform((value: unknown, ctx): T | undefined => {
    const text = cellText(value, kind, ctx);
    if (text === INVALID) return z.NEVER as T;
    return text === undefined ? undefined : check(text, ctx);
  });

/**
 * Zones, locales, addresses and dates repeat across rows; their checks (Intl constructors, an RFC 5322
 * parser) cost far more than a map lookup, so answers are kept, up to a bound that caps memory.
 */
export const remembered = <T>(check: (text: string) => T, limit = 20_000) => {
  const answers = new Map<string, T>();
  return (text: string): T => {
    const known = answers.get(text);
    if (known !== undefined || answers.has(text)) return known as T;
    const answer = check(text);
    if (answers.size >= limit) answers.clear();
    answers.set(text, answer);
    return answer;
  };
};

export const hasControlCharacter = (text: string): boolean => {
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
};
