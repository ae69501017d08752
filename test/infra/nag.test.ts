import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig, localConfigSchema } from '../../functions/shared/config.ts';
import { createDunningApp } from '../../infra/dunning-app.ts';
import { settingsFromConfig } from '../../infra/settings.ts';
import { CDK_TIMEOUT } from './synth.ts';

// The Dunning stack's own compliance is asserted in stack.test.ts, on the template synthesized there.
describe('cdk-nag AwsSolutions', () => {
  const outdirs: string[] = [];
  afterEach(() => {
    for (const outdir of outdirs.splice(0)) rmSync(outdir, { recursive: true, force: true });
  });

  it(
    'Noncompliance 1: fails the app synthesis when a resource breaks a rule (an unencrypted queue)',
    () => {
      const outdir = mkdtempSync(join(tmpdir(), 'dunning-nag-'));
      outdirs.push(outdir);
      const { app, stack } = createDunningApp(settingsFromConfig(loadConfig(localConfigSchema, {})), {
        outdir,
        context: { 'aws:cdk:bundling-stacks': [] },
        builtinCloudFormationValidation: false,
      });
      new Queue(stack, 'Unencrypted', { encryption: QueueEncryption.UNENCRYPTED });

      expect(() => app.synth()).toThrow(/AwsSolutions-SQS2/);
    },
    CDK_TIMEOUT,
  );
});
