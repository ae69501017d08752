import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lockDataDir } from '../../cli/local/data-dir-lock.ts';
import { ServiceUnavailableError } from '../../functions/shared/errors.ts';

describe('Data directory lock', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'dunning-lock-'));
  });
  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('records this process and removes the lock on release', () => {
    const lock = lockDataDir(dataDir);

    expect(readFileSync(join(dataDir, 'dev.lock'), 'utf8').trim()).toBe(String(process.pid));
    lock.release();
    expect(existsSync(join(dataDir, 'dev.lock'))).toBe(false);
  });

  it('refuses a directory locked by another live process, naming it and DUNNING_DATA_DIR', () => {
    writeFileSync(join(dataDir, 'dev.lock'), `${process.ppid}\n`);

    expect(() => lockDataDir(dataDir)).toThrow(ServiceUnavailableError);
    expect(() => lockDataDir(dataDir)).toThrow(
      `data directory ${dataDir} is in use by another "dunning dev" (pid ${process.ppid}); stop it or set DUNNING_DATA_DIR to another directory.`,
    );
  });

  it('takes over a lock left by a process that no longer exists', () => {
    // Above the largest pid Linux hands out (4194304), so no process can own it.
    writeFileSync(join(dataDir, 'dev.lock'), '99999999\n');

    const lock = lockDataDir(dataDir);

    expect(readFileSync(join(dataDir, 'dev.lock'), 'utf8').trim()).toBe(String(process.pid));
    lock.release();
  });
});
