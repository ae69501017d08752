import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDynamoClient } from '../../functions/shared/adapters/dynamodb/client.ts';
import { ensureTables } from '../../functions/shared/adapters/dynamodb/create-tables.ts';
import {
  clientOptions,
  localEndpoint,
  type ServiceEndpoint,
} from '../../functions/shared/adapters/endpoints.ts';
import { composeLocal } from '../../functions/shared/composition/local.ts';
import type { Composition } from '../../functions/shared/composition/root.ts';
import type { LocalConfig } from '../../functions/shared/config.ts';
import { LOCAL_TABLE_NAME, ledgerTable } from '../../functions/shared/tables.ts';
import { createHttpApp, type HttpRoute } from '../http/app.ts';
import { mailProbe, storeProbe } from '../http/health.ts';
import { startHttpServer } from '../http/server.ts';
import { type DailyTimer, startDailyTimer } from './daily-timer.ts';
import { lockDataDir } from './data-dir-lock.ts';
import { startDynamoEmulator } from './dynamodb-emulator.ts';
import { assertPortsFree, explainListenError, type NamedPort } from './ports.ts';
import {
  type LocalWebhookSecrets,
  loadWebhookSecrets,
  refuseUnusableWebhookSecrets,
  type WebhookSecrets,
} from './secrets.ts';
import { startSesEmulator } from './ses-emulator.ts';

/**
 * What a capability plugged into `dunning dev` works with: the composition the Lambdas and the CLI
 * build their use cases on (functions/shared/composition/), on the local store and mail emulator.
 */
export interface DevServices extends Composition {
  readonly config: LocalConfig;
  readonly dynamoEndpoint: ServiceEndpoint;
  readonly secrets: WebhookSecrets;
}

/**
 * The steps later capabilities plug into `dunning dev` (wired in `cli/commands/dev.ts`). The text a
 * step returns is printed as is; a missing step is simply not run.
 */
export interface DevHooks {
  /** Loads the demo portfolio; called on an empty store (tables just created, or a seed never finished). */
  seedDemo?(services: DevServices): Promise<string>;
  /** One dunning run as of `asOf`; at start on an empty store, then daily at DUNNING_RUN_AT. */
  runDunning?(services: DevServices, asOf: Date): Promise<string>;
  /**
   * Routes mounted on the HTTP server next to /health (the webhooks). May resolve asynchronously, so
   * `dev.ts` can `await import(...)` their module and keep every other command's start light.
   */
  httpRoutes?(services: DevServices): readonly HttpRoute[] | Promise<readonly HttpRoute[]>;
  /**
   * Sends what was deferred to a customer's business hours once their opening has come; polled every
   * minute. Resolves with text to print when it did something.
   */
  runDueDeferrals?(services: DevServices, now: Date): Promise<string | undefined>;
}

/** How long a stop waits for a seed or run under way before closing the store under it. */
const IN_FLIGHT_GRACE_MS = 2_500;

/** How often `dunning dev` looks for deferred reminders whose opening has come. */
const DEFERRAL_POLL_MS = 60_000;

export interface DevOutput {
  line(text: string): void;
  problem(text: string): void;
}

export interface TableState {
  readonly name: string;
  readonly state: 'created' | 'found';
}

/**
 * What the store holds as the stack comes up: a new store about to get the demo portfolio, a new
 * store left empty (`DUNNING_DEMO=off`), or a store kept from earlier starts, as it is.
 */
export type StartingPortfolio = 'demo' | 'empty' | 'kept';

export interface RunningDevStack {
  readonly dataDir: string;
  readonly portfolio: StartingPortfolio;
  readonly storeUrl: string;
  readonly mailUrl: string;
  readonly httpUrl: string;
  readonly tables: readonly TableState[];
  readonly secrets: LocalWebhookSecrets;
  /** The paths the HTTP server answers besides /health. */
  readonly routePaths: readonly string[];
  /** Seeds and runs at once on an empty store, then arms the daily run. Resolves after the first run. */
  startRuns(output: DevOutput): Promise<void>;
  /** When the next daily run is due, once `startRuns` armed it. */
  nextRun(): Date | undefined;
  /** Closes HTTP, the mail emulator and the store (LevelDB flushed), then releases the data dir. */
  stop(): Promise<void>;
}

const portsOf = (config: LocalConfig): NamedPort[] => [
  { port: config.DUNNING_DYNAMODB_PORT, variable: 'DUNNING_DYNAMODB_PORT' },
  { port: config.DUNNING_SES_PORT, variable: 'DUNNING_SES_PORT' },
  { port: config.DUNNING_HTTP_PORT, variable: 'DUNNING_HTTP_PORT' },
];

const listening = async <T>(start: () => Promise<T>, named: NamedPort): Promise<T> => {
  try {
    return await start();
  } catch (error) {
    throw explainListenError(error, named);
  }
};

/**
 * Starts the local stack: store, mail emulator and HTTP server on 127.0.0.1, tables created if
 * missing. Whatever started before a failure is stopped again before the error propagates, so a
 * busy port leaves nothing running.
 */
export const startDevStack = async (config: LocalConfig, hooks: DevHooks = {}): Promise<RunningDevStack> => {
  refuseUnusableWebhookSecrets(config);
  const [dynamoPort, sesPort, httpPort] = portsOf(config) as [NamedPort, NamedPort, NamedPort];
  const dataDir = resolve(config.DUNNING_DATA_DIR);
  const cleanups: (() => Promise<void> | void)[] = [];
  const stopAll = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      try {
        await cleanup();
      } catch {
        // Keep closing the rest; a failed close must not keep the store or the lock open.
      }
    }
  };

  // Work the stack runs on its own (seed, runs): a stop lets it finish for a moment before the store
  // closes under it, and a step cut short by the stop is not reported as a failure.
  const inFlight = new Set<Promise<unknown>>();
  let stopping = false;
  const stop = async () => {
    stopping = true;
    const settled = Promise.allSettled([...inFlight]);
    await Promise.race([settled, new Promise((resolve) => setTimeout(resolve, IN_FLIGHT_GRACE_MS).unref())]);
    await stopAll();
  };

  try {
    await assertPortsFree([dynamoPort, sesPort, httpPort]);
    const lock = lockDataDir(dataDir);
    cleanups.push(() => lock.release());
    const secrets = loadWebhookSecrets({ ...config, DUNNING_DATA_DIR: dataDir });

    // A new store owes the demo seed until the seed step is done, also to the start after a first
    // start that was killed before then (its tables exist by then, so they no longer tell).
    const storePath = join(dataDir, 'dynamodb');
    const seedPending = join(dataDir, 'demo-seed.pending');
    const demo = config.DUNNING_DEMO === 'on';
    if (!existsSync(storePath) && demo) writeFileSync(seedPending, '');
    // Started empty once, the store is the user's: a later start with the demo on does not seed into it.
    if (!demo) rmSync(seedPending, { force: true });
    const store = await listening(() => startDynamoEmulator(dynamoPort.port, storePath), dynamoPort);
    cleanups.push(() => store.stop());
    const dynamoEndpoint = localEndpoint(store.port);
    const dynamo: DynamoDBClient = createDynamoClient(dynamoEndpoint);
    cleanups.push(() => dynamo.destroy());
    const tableName = config.DUNNING_TABLE_NAME ?? LOCAL_TABLE_NAME;
    const created = await ensureTables(dynamo, [{ definition: ledgerTable, tableName }]);
    const tables: TableState[] = [
      { name: tableName, state: created.includes(tableName) ? 'created' : 'found' },
    ];
    const newStore = tables.some((table) => table.state === 'created') || existsSync(seedPending);
    const portfolio: StartingPortfolio = !newStore ? 'kept' : demo ? 'demo' : 'empty';

    const mail = await listening(() => startSesEmulator(sesPort.port), sesPort);
    cleanups.push(() => mail.stop());
    const sesEndpoint = localEndpoint(mail.port);

    // Its document client wraps `dynamo`, which the cleanups above destroy.
    const composition = composeLocal(config, tableName, { dynamo, ses: sesEndpoint });
    const services: DevServices = { ...composition, config, dynamoEndpoint, secrets };

    const extraRoutes = (await hooks.httpRoutes?.(services)) ?? [];
    // The health probe gets its own client without retries, so /health answers fast when the store is down.
    const probeClient = new DynamoDBClient({ ...clientOptions(dynamoEndpoint), maxAttempts: 1 });
    cleanups.push(() => probeClient.destroy());
    let reportProblem: (text: string) => void = (text) => process.stderr.write(`dunning: ${text}\n`);
    const app = createHttpApp({
      probes: { store: storeProbe(probeClient, tableName), mail: mailProbe(mail.url) },
      extraRoutes,
      onUnexpectedError: (error, c) =>
        reportProblem(
          `${c.req.method} ${c.req.path} failed: ${error instanceof Error ? error.message : String(error)}`,
        ),
    });
    const http = await listening(() => startHttpServer(app, httpPort.port), httpPort);
    cleanups.push(() => http.stop());

    let timer: DailyTimer | undefined;
    cleanups.push(() => timer?.stop());

    const runOnce = async (output: DevOutput, asOf: Date) => {
      if (!hooks.runDunning) return;
      output.line(await hooks.runDunning(services, asOf));
    };

    return {
      dataDir,
      portfolio,
      storeUrl: store.url,
      mailUrl: mail.url,
      httpUrl: http.url,
      tables,
      secrets,
      routePaths: [...new Set(extraRoutes.map((route) => route.path))],
      startRuns: async (output) => {
        reportProblem = output.problem;
        const step = async (name: string, work: () => Promise<void>) => {
          if (stopping) return false;
          const running = work();
          inFlight.add(running);
          try {
            await running;
            return true;
          } catch (error) {
            if (!stopping)
              output.problem(`${name} failed: ${error instanceof Error ? error.message : String(error)}`);
            return false;
          } finally {
            inFlight.delete(running);
          }
        };
        const seeded =
          portfolio !== 'demo' ||
          (await step('demo seed', async () => {
            if (hooks.seedDemo) output.line(await hooks.seedDemo(services));
            rmSync(seedPending, { force: true });
          }));
        // Every start runs today's dunning at once: what is due goes out, and at-most-once claims and
        // the minimum gap make a restart on the same day send nothing twice.
        if (seeded) await step('start-up run', () => runOnce(output, new Date()));
        if (!hooks.runDunning || stopping) return;
        if (hooks.runDueDeferrals) {
          const poll = hooks.runDueDeferrals;
          let polling = false;
          const deferralPoll = setInterval(() => {
            if (polling) return;
            polling = true;
            void step('deferred reminders', async () => {
              const text = await poll(services, new Date());
              if (text) output.line(text);
            }).finally(() => {
              polling = false;
            });
          }, DEFERRAL_POLL_MS);
          deferralPoll.unref();
          cleanups.push(async () => clearInterval(deferralPoll));
        }
        timer = startDailyTimer({
          runAt: config.DUNNING_RUN_AT,
          zone: config.DUNNING_TIME_ZONE,
          // The run is as of the moment it actually starts (a laptop may wake late), not the planned one.
          run: () => runOnce(output, new Date()),
          onError: (error) =>
            output.problem(`daily run failed: ${error instanceof Error ? error.message : String(error)}`),
        });
      },
      nextRun: () => timer?.next(),
      stop,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
};
