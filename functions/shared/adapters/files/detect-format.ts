import { open, stat } from 'node:fs/promises';
import { UserInputError } from '../../errors.ts';
import type { ImportFormat } from './source-row.ts';

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

/**
 * Tells CSV from JSON by the first meaningful character (after a BOM and blanks), not by the file's
 * name: an export saved as .txt still imports. An empty file is refused here.
 */
export const detectFormat = async (file: string): Promise<{ format: ImportFormat; size: number }> => {
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
      probe = buffer.subarray(0, bytesRead).toString('utf8');
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
