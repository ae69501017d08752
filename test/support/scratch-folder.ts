import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';

/**
 * A folder in the system temp dir for the files a suite writes (import files, mappings): made before
 * the suite's first test, removed after its last. Call it inside the suite's `describe`, before the
 * hooks that write into it.
 */
export const scratchFolder = (prefix: string) => {
  let folder: string | undefined;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), prefix));
  });
  afterAll(async () => {
    if (folder) await rm(folder, { recursive: true, force: true });
  });
  const path = (name: string) => {
    if (!folder) throw new Error(`the scratch folder ${prefix}* exists only while its suite runs`);
    return join(folder, name);
  };
  return {
    path,
    /** Writes `content` to `name` in the folder; resolves with the file's path. */
    write: async (name: string, content: string | Uint8Array) => {
      const file = path(name);
      await writeFile(file, content);
      return file;
    },
  };
};
