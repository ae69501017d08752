import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDocumentClient } from '../../functions/shared/adapters/dynamodb/client.ts';
import { localEndpoint } from '../../functions/shared/adapters/endpoints.ts';
import { LOCAL_TABLE_NAME } from '../../functions/shared/tables.ts';
import { cliEnv, freePort, startCli } from '../../test/e2e/cli-process.ts';
import { importRecords, readInvoices, runAndKill, type Trial } from './harness.ts';

/** The start-up summary is out, then the start-up run has reported (or failed). */
const STARTED = /Health\s+(http:\/\/127\.0\.0\.1:\d+)\/health[\s\S]*(Next dunning run:|start-up run failed)/;
/** The demo portfolio's size (`cli/demo/portfolio.ts` defaults). */
const DEMO_INVOICES = 84;

const lockOwner = async (dataDir: string): Promise<number | undefined> => {
  try {
    return Number.parseInt(await readFile(join(dataDir, 'dev.lock'), 'utf8'), 10);
  } catch {
    return undefined;
  }
};

/**
 * One `dunning dev` killed at a random moment of its life (creating its store, seeding, the start-up
 * run, serving), then started again on the same data directory: the LevelDB data opens, the dead
 * process's lock is taken over, /health is ok, the store is whole and the demo portfolio is there
 * in full, and Ctrl-C still stops it cleanly. Its mail emulator dies with it, so double sends are
 * the run trials' job.
 */
export const devKillTrial: Trial = async (_trial, random, windowMs) => {
  const folder = await mkdtemp(join(tmpdir(), 'dunning-kill-dev-'));
  const dataDir = join(folder, 'data');
  const ports = { dynamo: await freePort(), ses: await freePort(), http: await freePort() };
  const env = cliEnv({
    DUNNING_DATA_DIR: dataDir,
    DUNNING_DYNAMODB_PORT: String(ports.dynamo),
    DUNNING_SES_PORT: String(ports.ses),
    DUNNING_HTTP_PORT: String(ports.http),
  });
  const violations: string[] = [];
  try {
    // Act: kill at a random moment of its start, or (the last fifth of the window) while it serves.
    const kill = await runAndKill(['dev'], env, Math.floor(random() * windowMs * 1.25));
    const deadOwner = await lockOwner(dataDir);

    const restarted = startCli(['dev'], env);
    const began = Date.now();
    try {
      await restarted.waitForOutput(STARTED, 45_000);
    } catch (error) {
      restarted.child.kill('SIGKILL');
      return { killed: kill.killed, violations: [`restart: ${(error as Error).message.split('\n')[0]}`] };
    }
    const startMs = Date.now() - began;
    try {
      // Assess: health, lock, the store.
      if (restarted.stdout().includes('start-up run failed') || restarted.stderr().includes('failed'))
        violations.push(`restart reported a failure: ${restarted.stderr().trim()}`);
      const health = await fetch(`http://127.0.0.1:${ports.http}/health`);
      const report = (await health.json()) as { status?: string };
      if (health.status !== 200 || report.status !== 'ok')
        violations.push(`/health ${health.status} ${report.status}`);
      const owner = await lockOwner(dataDir);
      if (owner !== restarted.child.pid)
        violations.push(`lock held by ${owner}, not the restarted ${restarted.child.pid}`);
      const client = createDocumentClient(localEndpoint(ports.dynamo));
      try {
        const { invoices, problems } = await readInvoices(client, LOCAL_TABLE_NAME);
        violations.push(...problems);
        if (invoices.size !== DEMO_INVOICES)
          violations.push(
            `demo portfolio has ${invoices.size} of ${DEMO_INVOICES} invoices after the restart`,
          );
        const unfinished = (await importRecords(client, LOCAL_TABLE_NAME)).filter(
          (record) => record.status === 'committed',
        );
        if (unfinished.length) violations.push(`${unfinished.length} committed imports not rolled forward`);
      } finally {
        client.destroy();
      }
    } finally {
      restarted.child.kill('SIGINT');
      const stopped = await restarted.exited(8_000).catch(() => undefined);
      if (stopped?.code !== 0) {
        restarted.child.kill('SIGKILL');
        violations.push(`Ctrl-C after the restart: exit ${stopped?.code ?? 'timeout'}`);
      }
    }
    return {
      killed: kill.killed,
      violations,
      // A restart skips the seed; the first start of the next trial takes about a third longer.
      fullMs: Math.round(startMs * 1.3),
      counts: { stale_locks: deadOwner !== undefined && deadOwner !== restarted.child.pid ? 1 : 0 },
    };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
};
