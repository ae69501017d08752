import iconv from 'iconv-lite';
import { UserInputError } from '../../errors.ts';

/**
 * Turns an import file's bytes into text before any parser sees them. A byte-order mark decides
 * (UTF-8, UTF-16 LE/BE); else `--encoding NAME` (any encoding iconv-lite knows, e.g. windows-1252);
 * else the file must be valid UTF-8, and the first byte that is not stops the import with its line,
 * so that "Müller" saved by a spreadsheet as Windows-1252 is never imported as "M�ller".
 */

export interface DecodeOptions {
  /** The encoding the user named; undefined means UTF-8 unless a BOM says otherwise. */
  readonly encoding?: string;
  /** Sees every raw chunk (content hash, progress) before it is decoded. */
  readonly onBytes?: (chunk: Buffer) => void;
}

const BOMS: readonly { bytes: readonly number[]; encoding: string }[] = [
  { bytes: [0xef, 0xbb, 0xbf], encoding: 'utf-8' },
  { bytes: [0xff, 0xfe], encoding: 'utf-16le' },
  { bytes: [0xfe, 0xff], encoding: 'utf-16be' },
];

const bomOf = (head: Buffer) =>
  BOMS.find(({ bytes }) => head.length >= bytes.length && bytes.every((byte, at) => head[at] === byte));

const isUtf8Name = (name: string) => /^utf-?8$/i.test(name.trim());

/** Checks `--encoding` before the file is opened, so a typo is one clear message. */
export const checkEncodingName = (name: string): string => {
  const trimmed = name.trim();
  if (!iconv.encodingExists(trimmed))
    throw new UserInputError(
      `--encoding "${name}" is not an encoding this importer knows (e.g. utf-8, utf-16le, windows-1252, iso-8859-1, shift_jis)`,
    );
  return trimmed;
};

const isContinuation = (byte: number) => (byte & 0xc0) === 0x80;
const sequenceLength = (lead: number) => (lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1);

/** Where the last complete character ends, so the rest waits for the next chunk. */
const completeLength = (bytes: Buffer): number => {
  for (let back = 1; back <= Math.min(4, bytes.length); back += 1) {
    const byte = bytes[bytes.length - back] as number;
    if (isContinuation(byte)) continue;
    return byte >= 0xc0 && sequenceLength(byte) > back ? bytes.length - back : bytes.length;
  }
  return bytes.length;
};

const countLineFeeds = (bytes: Buffer, end = bytes.length): number => {
  let count = 0;
  for (let at = bytes.indexOf(0x0a); at !== -1 && at < end; at = bytes.indexOf(0x0a, at + 1)) count += 1;
  return count;
};

/**
 * The first byte of `piece` (which starts on a character boundary) that is not UTF-8: the shortest
 * prefix a streaming decoder refuses ends with it. TextDecoder does the judging, this only narrows.
 */
const firstInvalidByte = (piece: Buffer): number => {
  let valid = 0;
  let invalid = piece.length;
  while (invalid - valid > 1) {
    const middle = Math.floor((valid + invalid) / 2);
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(piece.subarray(0, middle), { stream: true });
      valid = middle;
    } catch {
      invalid = middle;
    }
  }
  return invalid - 1;
};

const hex = (byte: number) => `0x${byte.toString(16).toUpperCase().padStart(2, '0')}`;

const notUtf8 = (file: string, line: number, byte: number) =>
  new UserInputError(
    `${file}: line ${line} is not valid UTF-8 (byte ${hex(byte)}); nothing was imported. ` +
      'If the file was saved by a spreadsheet or an older program, name its encoding, e.g. --encoding windows-1252',
  );

/** Strict UTF-8: every chunk is checked whole; a character split across chunks waits for its end. */
async function* utf8Text(chunks: AsyncIterable<Buffer>, file: string, skip: number): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let carry: Buffer = Buffer.alloc(0);
  let linesBefore = 0;
  let first = true;
  for await (const chunk of chunks) {
    const joined = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    const bytes = first ? joined.subarray(skip) : joined;
    first = false;
    const end = completeLength(bytes);
    const piece = bytes.subarray(0, end);
    carry = Buffer.from(bytes.subarray(end));
    try {
      yield decoder.decode(piece, { stream: true });
    } catch {
      const at = firstInvalidByte(piece);
      throw notUtf8(file, linesBefore + countLineFeeds(piece, at) + 1, piece[at] as number);
    }
    linesBefore += countLineFeeds(piece);
  }
  if (carry.length > 0) throw notUtf8(file, linesBefore + 1, carry[0] as number);
}

async function* iconvText(chunks: AsyncIterable<Buffer>, encoding: string): AsyncGenerator<string> {
  // iconv-lite drops a BOM of the encoding itself (UTF-16's FF FE) by default.
  const decoder = iconv.getDecoder(encoding);
  for await (const chunk of chunks) {
    const text = decoder.write(chunk);
    if (text) yield text;
  }
  const rest = decoder.end();
  if (rest) yield rest;
}

/** Passes chunks on while handing each to `onBytes`; the first one is also kept for the BOM. */
async function* observed(
  source: AsyncIterable<Buffer | string>,
  onBytes: ((chunk: Buffer) => void) | undefined,
): AsyncGenerator<Buffer> {
  for await (const chunk of source) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    onBytes?.(bytes);
    yield bytes;
  }
}

/** The file's text, chunk by chunk, in whatever encoding the BOM or the user names. */
export async function* decodeImportText(
  source: AsyncIterable<Buffer | string>,
  file: string,
  options: DecodeOptions = {},
): AsyncGenerator<string> {
  const chunks = observed(source, options.onBytes);
  // A BOM is up to three bytes: gather that much before deciding, however small the chunks.
  const gathered: Buffer[] = [];
  let length = 0;
  while (length < 3) {
    const next = await chunks.next();
    if (next.done) break;
    gathered.push(next.value);
    length += next.value.length;
  }
  if (gathered.length === 0) return;
  const firstChunk = Buffer.concat(gathered);
  async function* all(): AsyncGenerator<Buffer> {
    yield firstChunk;
    yield* chunks;
  }
  const bom = bomOf(firstChunk);
  const encoding = bom?.encoding ?? options.encoding ?? 'utf-8';
  // Text has no NUL bytes; UTF-16 without its mark has one in every other byte of plain letters.
  if (!bom && options.encoding === undefined && firstChunk.subarray(0, 4096).includes(0)) {
    const even = firstChunk[0] === 0;
    throw new UserInputError(
      `${file}: holds NUL bytes, so it is not UTF-8 text; it looks like UTF-16 without a byte-order mark. Name its encoding: --encoding ${even ? 'utf-16be' : 'utf-16le'}`,
    );
  }
  if (isUtf8Name(encoding)) {
    yield* utf8Text(all(), file, bom ? bom.bytes.length : 0);
    return;
  }
  yield* iconvText(all(), encoding);
}
