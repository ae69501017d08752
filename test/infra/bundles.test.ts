import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { CfnElement } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DunningFunction } from '../../infra/constructs/dunning-function.ts';
import { PROJECT_ROOT } from '../../infra/constructs/dunning-function.ts';
import { CDK_TIMEOUT, type Synthesized, synthesize } from './synth.ts';

/** Generous: the handlers bundle zod, the SDK clients they use and little else. */
const BUNDLE_BUDGET_BYTES = 1_500_000;
/**
 * The run also carries the public-holiday calendar (every country's national rules cut from
 * date-holidays and its parser, with its lunar calendars, about 550 KB), imported only when a
 * reminder first needs it, so its cold start does not grow with it.
 */
const RUN_BUNDLE_BUDGET_BYTES = 1_600_000;

let synthesized: Synthesized;

const assetDirectory = (handler: DunningFunction): string => {
  const id = synthesized.stack.getLogicalId(handler.function.node.defaultChild as CfnElement);
  const key: string = synthesized.template.toJSON().Resources[id].Properties.Code.S3Key;
  return join(synthesized.outdir, `asset.${key.replace(/\.zip$/, '')}`);
};

/** The function's variables as the template sets them; references get stand-ins of the right shape. */
const deployedEnvironment = (handler: DunningFunction): Record<string, string> => {
  const id = synthesized.stack.getLogicalId(handler.function.node.defaultChild as CfnElement);
  const variables: Record<string, unknown> =
    synthesized.template.toJSON().Resources[id].Properties.Environment.Variables;
  return Object.fromEntries(
    Object.entries(variables).map(([name, value]) => {
      if (typeof value === 'string') return [name, value];
      if (name.endsWith('_ARN'))
        return [name, `arn:aws:service:eu-west-1:123456789012:${name.toLowerCase()}`];
      if (name.endsWith('_URL')) return [name, 'https://function-url.lambda-url.eu-west-1.on.aws/'];
      return [name, name.toLowerCase()];
    }),
  );
};

const handlers = () => ({
  run: synthesized.stack.run.handler,
  payment: synthesized.stack.payments.handler,
  mailEvents: synthesized.stack.mailEvents.handler,
  respond: synthesized.stack.answers.handler,
});

// The one synthesis with real bundling (local esbuild, no Docker) and CDK's template validation on.
beforeAll(() => {
  synthesized = synthesize({}, { bundle: true });
}, CDK_TIMEOUT);
afterAll(() => synthesized?.cleanup());

describe('Lambda bundles', () => {
  it('are minified ESM files with a require shim and a source map, within budget', () => {
    for (const [name, handler] of Object.entries(handlers())) {
      const directory = assetDirectory(handler);
      const code = readFileSync(join(directory, 'index.mjs'), 'utf8');
      expect(code.startsWith("import { createRequire } from 'node:module';")).toBe(true);
      expect(existsSync(join(directory, 'index.mjs.map'))).toBe(true);
      const budget = name === 'run' ? RUN_BUNDLE_BUDGET_BYTES : BUNDLE_BUDGET_BYTES;
      expect(statSync(join(directory, 'index.mjs')).size).toBeLessThan(budget);
    }
  });

  it('load in Node with the environment the stack gives them and export the handler', () => {
    for (const handler of Object.values(handlers())) {
      const file = join(assetDirectory(handler), 'index.mjs');
      const result = spawnSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `const m = await import(${JSON.stringify(file)}); console.log(typeof m.handler);`,
        ],
        {
          encoding: 'utf8',
          env: {
            PATH: process.env.PATH,
            AWS_REGION: 'eu-west-1',
            AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
            ...deployedEnvironment(handler),
          },
        },
      );
      // The bundle is one minified line: keep only the error's last lines in a failure message.
      expect({
        stdout: result.stdout.trim(),
        stderr: result.stderr.split('\n').slice(-3).join('\n'),
      }).toEqual({
        stdout: 'function',
        stderr: '',
      });
    }
  });

  it('carry the repository templates in the run bundle only', () => {
    const { run, payment } = handlers();
    const repositoryTemplates = readdirSync(join(PROJECT_ROOT, 'templates'), { recursive: true }).sort();
    expect(readdirSync(join(assetDirectory(run), 'templates'), { recursive: true }).sort()).toEqual(
      repositoryTemplates,
    );
    expect(existsSync(join(assetDirectory(payment), 'templates'))).toBe(false);
  });

  it('pass CDK template validation and cdk-nag with nothing to report', () => {
    expect(synthesized.validationReport.pluginReports.flatMap((report) => report.violations)).toEqual([]);
  });
});
