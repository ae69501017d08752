import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/**
 * Every test file gets its own `DUNNING_DATA_DIR` in the system temp dir (vitest setup file), so a
 * command that keeps local secrets or a lock there never writes `.dunning/` into the working tree.
 * A suite that sets its own directory still may; child processes get it through `cliEnv`.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'dunning-test-data-'));
process.env.DUNNING_DATA_DIR = dataDir;

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
