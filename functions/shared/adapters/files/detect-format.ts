import { open, stat } from 'node:fs/promises';
import iconv from 'iconv-lite';
import type { ImportFormat } from '../../domain/import/source-row.ts';
import { UserInputError } from '../../errors.ts';

const PROBE_BYTES = 4096;

const describeFsError = (file: string, error: unknown): UserInputError => {
  const code = (error as NodeJS.ErrnoException).code;
  const reason =
    code === 'ENOENT'
      ? 'no such file'
      : code === 'EACCES'
        ? 'permission denied'
        : code === 'EISDIR'
          ? 'is a directory'
          : 'cannot be read';
  return new UserInputError(`${file}: ${reason}`);
};

/** The probe as text: a BOM decides its encoding, else the one the user named, else UTF-8. */
const probeText = (bytes: Buffer, encoding: string | undefined): string => {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return iconv.decode(bytes, 'utf-16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return iconv.decode(bytes, 'utf-16be');
  return encoding ? iconv.decode(bytes, encoding) : bytes.toString('utf8');
};

/**
 * Tells CSV from JSON by the first meaningful character (after a BOM and blanks), not by the file's
 * name: an export saved as .txt still imports. An empty file is refused here.
 */
export const detectFormat = async (
  file: string,
  encoding?: string,
): Promise<{ format: ImportFormat; size: number }> => {
  let size: number;
  let probe: string;
  try {
    const info = await stat(file);
    if (info.isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
    size = info.size;
    const handle = await open(file, 'r');
    try {
      const buffer = Buffer.alloc(Math.min(PROBE_BYTES, size));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      probe = probeText(buffer.subarray(0, bytesRead), encoding);
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw describeFsError(file, error);
  }
  const first = probe.replace(/^\uFEFF/, '').trimStart()[0];
  if (first === undefined) {
    throw new UserInputError(`${file}: the file is empty; expected a CSV header row or a JSON array`);
  }
  return { format: first === '[' || first === '{' ? 'json' : 'csv', size };
};
