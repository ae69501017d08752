import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliEnv, freePort, noiseIn, type RunningCli, runCli, startCli } from './cli-process.ts';

// The secrets are the last lines of the start-up summary: once they are out, the whole summary is.
const READY = /Health\s+(http:\/\/127\.0\.0\.1:\d+)\/health[\s\S]*PAYMENTS_WEBHOOK_SECRET=\S+/;

describe('dunning dev, run as a user runs it', () => {
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  let ports: { dynamo: number; ses: number; http: number };
  const started: RunningCli[] = [];
  const blockers: Server[] = [];

  const dev = (...flags: string[]): RunningCli => {
    const cli = startCli(['dev', ...flags], env);
    started.push(cli);
    return cli;
  };

  beforeEach(async () => {
    dataDir = join(mkdtempSync(join(tmpdir(), 'dunning-dev-')), 'data');
    ports = { dynamo: await freePort(), ses: await freePort(), http: await freePort() };
    env = cliEnv({
      DUNNING_DATA_DIR: dataDir,
      DUNNING_DYNAMODB_PORT: String(ports.dynamo),
      DUNNING_SES_PORT: String(ports.ses),
      DUNNING_HTTP_PORT: String(ports.http),
    });
  });

  afterEach(async () => {
    // A failed assertion must not leave a stack running on the machine.
    for (const cli of started.splice(0)) {
      if (cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill('SIGKILL');
    }
    for (const blocker of blockers.splice(0)) blocker.close();
    rmSync(join(dataDir, '..'), { recursive: true, force: true });
  });

  it('starts within 30 s, answers /health and the mail page, stops on SIGINT, and finds its tables on restart', async () => {
    const first = dev();
    const startedAt = Date.now();
    const [, httpUrl] = await first.waitForOutput(READY, 30_000);
    const startupMs = Date.now() - startedAt;

    const health = await fetch(`${httpUrl}/health`);
    const mailPage = await fetch(`http://127.0.0.1:${ports.ses}/`);
    const mailPageText = await mailPage.text();
    const unknown = await fetch(`${httpUrl}/nowhere`);
    const webhookByGet = await fetch(`${httpUrl}/webhooks/stripe`);
    const respondWithoutToken = await fetch(`${httpUrl}/respond`);

    expect(startupMs).toBeLessThan(30_000);
    expect(first.stdout()).toContain(`http://127.0.0.1:${ports.dynamo}`);
    expect(first.stdout()).toContain(`http://127.0.0.1:${ports.ses}`);
    expect(first.stdout()).toContain(`http://127.0.0.1:${ports.http}/webhooks/stripe`);
    expect(first.stdout()).toContain(`http://127.0.0.1:${ports.http}/webhooks/payments`);
    expect(first.stdout()).toContain(`Answer page        http://127.0.0.1:${ports.http}/respond`);
    expect(first.stdout()).toMatch(/table dunning-ledger \(created\)/);
    expect(first.stdout()).toContain('Portfolio          new store: seeding the demo portfolio');
    expect(first.stdout()).toMatch(/STRIPE_WEBHOOK_SECRET=whsec_\S+/);
    expect(first.stdout()).toMatch(/PAYMENTS_WEBHOOK_SECRET=whsec_\S+/);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({
      status: 'ok',
      store: { reachable: true },
      mail: { reachable: true },
    });
    expect(mailPage.status).toBe(200);
    expect(mailPageText).toContain('<html');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: 'no route for GET /nowhere' });
    expect(webhookByGet.status).toBe(405);
    // The printed answer page is served: without a reminder's token it is the 403 page.
    expect(respondWithoutToken.status).toBe(403);
    expect(respondWithoutToken.headers.get('content-type')).toMatch(/^text\/html/);

    // Prepare: a second start while the first runs, on the same ports and data directory.
    const second = await runCli(['dev'], env);

    expect(second.code).toBe(1);
    expect(second.stdout).toBe('');
    expect(second.stderr.trimEnd().split('\n')).toEqual([
      `dunning: port ${ports.dynamo} (DUNNING_DYNAMODB_PORT) is already in use; is another "dunning dev" running? Stop it or set DUNNING_DYNAMODB_PORT to a free port.`,
    ]);
    expect((await fetch(`${httpUrl}/health`)).status).toBe(200);

    const stopAt = Date.now();
    first.child.kill('SIGINT');
    const firstExit = await first.exited(5_000);

    expect(Date.now() - stopAt).toBeLessThan(5_000);
    expect(firstExit.code).toBe(0);
    expect(noiseIn(firstExit.stdout + firstExit.stderr)).toEqual([]);

    // --no-demo starts a new store empty; it never empties a store that exists.
    const restarted = dev('--no-demo');
    await restarted.waitForOutput(READY, 30_000);
    const secretsBefore = firstExit.stdout.match(/STRIPE_WEBHOOK_SECRET=(\S+)/)?.[1];

    expect(restarted.stdout()).toMatch(/table dunning-ledger \(found\)/);
    expect(restarted.stdout()).toContain('Portfolio          kept from earlier starts');
    expect(restarted.stdout()).toContain(`STRIPE_WEBHOOK_SECRET=${secretsBefore}`);
    expect((await fetch(`${httpUrl}/health`)).status).toBe(200);

    restarted.child.kill('SIGTERM');
    const restartedExit = await restarted.exited(5_000);

    expect(restartedExit.code).toBe(0);
    expect(noiseIn(restartedExit.stdout + restartedExit.stderr)).toEqual([]);
  }, 90_000);

  it('refuses a busy port with one line naming it and its variable, exit 1, and leaves nothing running', async () => {
    const blocker = createServer();
    blockers.push(blocker);
    await new Promise<void>((resolve) => blocker.listen(ports.http, '127.0.0.1', resolve));

    const result = await runCli(['dev'], env);

    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      `dunning: port ${ports.http} (DUNNING_HTTP_PORT) is already in use; is another "dunning dev" running? Stop it or set DUNNING_HTTP_PORT to a free port.`,
    ]);
    expect(noiseIn(result.stderr)).toEqual([]);
    // The ports it checked first are free again: nothing was left listening.
    const reuse = createServer();
    blockers.push(reuse);
    await new Promise<void>((resolve, reject) => {
      reuse.once('error', reject);
      reuse.listen(ports.dynamo, '127.0.0.1', resolve);
    });
  }, 30_000);
});
