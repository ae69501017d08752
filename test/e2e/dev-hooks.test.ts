import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type DevHooks,
  type DevOutput,
  type RunningDevStack,
  startDevStack,
} from '../../cli/local/dev-stack.ts';
import { loadConfig, localConfigSchema } from '../../functions/shared/config.ts';
import { freePort } from './cli-process.ts';

/** Records what the stack printed, so a test can assert the hooks' text reached the user. */
const recordingOutput = () => {
  const lines: string[] = [];
  const problems: string[] = [];
  const output: DevOutput = { line: (text) => lines.push(text), problem: (text) => problems.push(text) };
  return { lines, problems, output };
};

describe('dunning dev hooks (in process)', () => {
  let root: string;
  let stack: RunningDevStack | undefined;

  const config = async () =>
    loadConfig(localConfigSchema, {
      DUNNING_DATA_DIR: join(root, 'data'),
      DUNNING_DYNAMODB_PORT: String(await freePort()),
      DUNNING_SES_PORT: String(await freePort()),
      DUNNING_HTTP_PORT: String(await freePort()),
      DUNNING_TIME_ZONE: 'Europe/Berlin',
      DUNNING_RUN_AT: '08:00',
    });

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'dunning-hooks-'));
  });
  afterEach(async () => {
    await stack?.stop();
    stack = undefined;
    rmSync(root, { recursive: true, force: true });
  });

  it('seeds and runs at once on an empty store, prints their text, arms the daily run and mounts extra routes', async () => {
    const calls: string[] = [];
    const hooks: DevHooks = {
      seedDemo: async (services) => {
        calls.push(`seed:${services.tableName}`);
        await services.documentClient.send(
          new PutItemCommand({
            TableName: services.tableName,
            Item: { pk: { S: 'INVOICE#demo' }, sk: { S: 'INVOICE' } },
          }),
        );
        return 'Demo portfolio: 1 invoice';
      },
      runDunning: async (services, asOf) => {
        const { Item } = await services.documentClient.send(
          new GetItemCommand({
            TableName: services.tableName,
            Key: { pk: { S: 'INVOICE#demo' }, sk: { S: 'INVOICE' } },
          }),
        );
        calls.push(`run:${Item ? 'seen' : 'missing'}:${asOf instanceof Date}`);
        return 'Run: sent 0, deferred 0';
      },
      httpRoutes: (services) => [
        {
          method: 'POST',
          path: '/webhooks/payments',
          handler: (c) => c.json({ secretLength: services.secrets.payments.length }, 202),
        },
      ],
    };
    const printed = recordingOutput();

    stack = await startDevStack(await config(), hooks);
    await stack.startRuns(printed.output);
    const webhook = await fetch(`${stack.httpUrl}/webhooks/payments`, { method: 'POST', body: '{}' });
    const wrongMethod = await fetch(`${stack.httpUrl}/webhooks/payments`);

    expect(calls).toEqual(['seed:dunning-ledger', 'run:seen:true']);
    expect(printed.lines).toEqual(['Demo portfolio: 1 invoice', 'Run: sent 0, deferred 0']);
    expect(printed.problems).toEqual([]);
    expect(stack.routePaths).toEqual(['/webhooks/payments']);
    expect(webhook.status).toBe(202);
    expect(wrongMethod.status).toBe(405);
    const next = stack.nextRun();
    expect(next?.getTime()).toBeGreaterThan(Date.now());
    expect(
      new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', timeStyle: 'short' }).format(next),
    ).toBe('08:00');
  });

  it('does not seed again when the tables already exist, but runs the day at every start', async () => {
    const settings = await config();
    const first = await startDevStack(settings);
    await first.startRuns(recordingOutput().output);
    await first.stop();
    const calls: string[] = [];
    const printed = recordingOutput();

    stack = await startDevStack(settings, {
      seedDemo: async () => {
        calls.push('seed');
        return 'seeded';
      },
      runDunning: async () => {
        calls.push('run');
        throw new Error('store throttled');
      },
    });
    await stack.startRuns(printed.output);

    expect(stack.tables).toEqual([{ name: 'dunning-ledger', state: 'found' }]);
    expect(calls).toEqual(['run']);
    expect(printed.problems).toEqual(['start-up run failed: store throttled']);
  });

  it('starts a new store empty with DUNNING_DEMO=off, and a later start with the demo on keeps it so', async () => {
    const settings = { ...(await config()), DUNNING_DEMO: 'off' as const };
    const calls: string[] = [];
    const hooks: DevHooks = {
      seedDemo: async () => {
        calls.push('seed');
        return 'seeded';
      },
      runDunning: async () => {
        calls.push('run');
        return 'ran';
      },
    };

    const first = await startDevStack(settings, hooks);
    await first.startRuns(recordingOutput().output);
    await first.stop();
    stack = await startDevStack({ ...settings, DUNNING_DEMO: 'on' }, hooks);
    await stack.startRuns(recordingOutput().output);

    expect(first.portfolio).toBe('empty');
    expect(stack.portfolio).toBe('kept');
    expect(calls).toEqual(['run', 'run']);
  });

  it('prints a failed start-up step as one problem line and keeps serving', async () => {
    const printed = recordingOutput();

    stack = await startDevStack(await config(), {
      seedDemo: async () => {
        throw new Error('demo file missing');
      },
    });
    await stack.startRuns(printed.output);
    const health = await fetch(`${stack.httpUrl}/health`);

    expect(printed.problems).toEqual(['demo seed failed: demo file missing']);
    expect(health.status).toBe(200);
  });
});
