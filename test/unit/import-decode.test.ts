import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { checkEncodingName, decodeImportText } from '../../functions/shared/adapters/files/decode.ts';
import { UserInputError } from '../../functions/shared/errors.ts';

/** The bytes cut into pieces of `size`, so characters and BOMs fall across chunk boundaries. */
async function* pieces(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let start = 0; start < bytes.length; start += size) yield bytes.subarray(start, start + size);
}

const decode = async (bytes: Buffer, size: number, encoding?: string) => {
  let text = '';
  const seen: Buffer[] = [];
  for await (const chunk of decodeImportText(pieces(bytes, size), 'f.csv', {
    ...(encoding ? { encoding } : {}),
    onBytes: (raw) => seen.push(raw),
  }))
    text += chunk;
  return { text, raw: Buffer.concat(seen) };
};

const TEXT = 'name,city\nMüller GmbH,Köln\n株式会社さくら,東京\n€ 12,50 😀\n';

describe('import file decoding', () => {
  it.each([
    1, 2, 3, 5, 64,
  ])('reads UTF-8 split into %i-byte chunks, handing on every raw byte', async (size) => {
    const bytes = Buffer.from(TEXT);
    const { text, raw } = await decode(bytes, size);
    expect(text).toBe(TEXT);
    expect(raw.equals(bytes)).toBe(true);
  });

  it.each([
    ['UTF-8', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT)])],
    ['UTF-16 LE', iconv.encode(TEXT, 'utf-16le', { addBOM: true })],
    ['UTF-16 BE', iconv.encode(TEXT, 'utf-16be', { addBOM: true })],
  ])('detects %s by its byte-order mark and drops the mark', async (_name, bytes) => {
    for (const size of [1, 7, 4096]) expect((await decode(bytes, size)).text).toBe(TEXT);
  });

  it('decodes a named encoding, and a BOM outranks the name', async () => {
    expect((await decode(iconv.encode('Müller;€', 'windows-1252'), 3, 'windows-1252')).text).toBe('Müller;€');
    expect((await decode(iconv.encode(TEXT, 'utf-16le', { addBOM: true }), 5, 'windows-1252')).text).toBe(
      TEXT,
    );
  });

  it.each([
    1, 4, 1000,
  ])('refuses invalid UTF-8 at the line of its first bad byte (%i-byte chunks)', async (size) => {
    const bytes = Buffer.concat([
      Buffer.from('a,b\n"x\ny",1\n\n'),
      iconv.encode('Müller,2\n', 'windows-1252'),
    ]);
    await expect(decode(bytes, size)).rejects.toThrow(
      new UserInputError(
        'f.csv: line 5 is not valid UTF-8 (byte 0xFC); nothing was imported. If the file was saved by a spreadsheet or an older program, name its encoding, e.g. --encoding windows-1252',
      ),
    );
  });

  it('refuses UTF-16 without a byte-order mark, naming the encoding to give', async () => {
    await expect(decode(iconv.encode(TEXT, 'utf-16le'), 64)).rejects.toThrow(/--encoding utf-16le$/);
    await expect(decode(iconv.encode(TEXT, 'utf-16be'), 64)).rejects.toThrow(/--encoding utf-16be$/);
    expect((await decode(iconv.encode(TEXT, 'utf-16le'), 64, 'utf-16le')).text).toBe(TEXT);
  });

  it('refuses a file that ends inside a character', async () => {
    const bytes = Buffer.from('a\nö').subarray(0, 3);
    await expect(decode(bytes, 2)).rejects.toThrow(/line 2 is not valid UTF-8 \(byte 0xC3\)/);
  });

  it('checks an encoding name before anything is read', () => {
    expect(checkEncodingName(' Windows-1252 ')).toBe('Windows-1252');
    expect(() => checkEncodingName('latin-9000')).toThrow(/--encoding "latin-9000" is not an encoding/);
  });
});
