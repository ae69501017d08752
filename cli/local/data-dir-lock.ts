import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ServiceUnavailableError } from '../../functions/shared/errors.ts';

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

export interface DataDirLock {
  release(): void;
}

/**
 * Claims the data directory for this process: LevelDB allows one writer, and a second `dunning dev`
 * on other ports but the same directory would otherwise fail deep inside the store. A lock left by
 * a process that died is taken over.
 */
export const lockDataDir = (dataDir: string): DataDirLock => {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, 'dev.lock');
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return {
        release: () => {
          // Only remove a lock this process still owns.
          if (readPid(path) === process.pid) rmSync(path, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = readPid(path);
      if (owner !== undefined && owner !== process.pid && isAlive(owner)) {
        throw new ServiceUnavailableError(
          `data directory ${dataDir} is in use by another "dunning dev" (pid ${owner}); stop it or set DUNNING_DATA_DIR to another directory.`,
        );
      }
      rmSync(path, { force: true });
    }
  }
  throw new ServiceUnavailableError(`could not lock the data directory ${dataDir} (${path}).`);
};

const readPid = (path: string): number | undefined => {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
};
