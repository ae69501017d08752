import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../infra/constructs/dunning-function.ts';
import { CDK_TIMEOUT } from './synth.ts';

describe('CDK app entry (infra/app.ts)', () => {
  it(
    'fails with one line naming the variable when the environment is invalid',
    () => {
      const result = spawnSync(process.execPath, ['--import', 'tsx', 'infra/app.ts'], {
        cwd: PROJECT_ROOT,
        encoding: 'utf8',
        env: { PATH: process.env.PATH, DUNNING_TIME_ZONE: 'Mars/Olympus_Mons' },
      });

      expect(result.status).toBe(1);
      expect(result.stderr.trim().split('\n')).toEqual([expect.stringContaining('DUNNING_TIME_ZONE')]);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    },
    CDK_TIMEOUT,
  );
});
