import { resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  clientOptions,
  localEndpoint,
  type ServiceEndpoint,
} from '../../functions/shared/adapters/endpoints.ts';
import { composeLocal } from '../../functions/shared/composition/local.ts';
import type { Composition } from '../../functions/shared/composition/root.ts';
import type { LocalConfig } from '../../functions/shared/config.ts';
import { createHttpApp, type HttpRoute } from '../http/app.ts';
import { mailProbe, storeProbe } from '../http/health.ts';
import { startHttpServer } from '../http/server.ts';
import type { DailyTimer } from './daily-timer.ts';
import { lockDataDir } from './data-dir-lock.ts';
import { startDevRuns } from './dev-runs.ts';
import { type DevStore, openDevStore } from './dev-store.ts';
import { Cleanups, WorkInFlight } from './dev-work.ts';
import { assertPortsFree, listening, type NamedPort } from './ports.ts';
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

/**
 * Starts the local stack: store, mail emulator and HTTP server on 127.0.0.1, tables created if
 * missing. Whatever started before a failure is stopped again before the error propagates, so a
 * busy port leaves nothing running.
 */
export const startDevStack = async (config: LocalConfig, hooks: DevHooks = {}): Promise<RunningDevStack> => {
  refuseUnusableWebhookSecrets(config);
  const [dynamoPort, sesPort, httpPort] = portsOf(config) as [NamedPort, NamedPort, NamedPort];
  const dataDir = resolve(config.DUNNING_DATA_DIR);
  const cleanups = new Cleanups();
  const work = new WorkInFlight();
  try {
    await assertPortsFree([dynamoPort, sesPort, httpPort]);
    const lock = lockDataDir(dataDir);
    cleanups.push(() => lock.release());
    const secrets = loadWebhookSecrets({ ...config, DUNNING_DATA_DIR: dataDir });
    const store = await openDevStore(config, dataDir, dynamoPort, cleanups);
    const mail = await listening(() => startSesEmulator(sesPort.port), sesPort);
    cleanups.push(() => mail.stop());
    const sesEndpoint = localEndpoint(mail.port);

    // Its document client wraps the store's client, which the cleanups above destroy.
    const composition = composeLocal(config, store.tableName, { dynamo: store.dynamo, ses: sesEndpoint });
    const services: DevServices = { ...composition, config, dynamoEndpoint: store.dynamoEndpoint, secrets };
    const extraRoutes = (await hooks.httpRoutes?.(services)) ?? [];
    let reportProblem: (text: string) => void = (text) => process.stderr.write(`dunning: ${text}\n`);
    const http = await serveDevHttp(store, mail.url, extraRoutes, httpPort, cleanups, (text) =>
      reportProblem(text),
    );

    let timer: DailyTimer | undefined;
    cleanups.push(() => timer?.stop());
    return {
      dataDir,
      portfolio: store.portfolio,
      storeUrl: store.url,
      mailUrl: mail.url,
      httpUrl: http.url,
      tables: store.tables,
      secrets,
      routePaths: [...new Set(extraRoutes.map((route) => route.path))],
      startRuns: async (output) => {
        reportProblem = output.problem;
        const { portfolio, seedPending } = store;
        timer = await startDevRuns(output, {
          config,
          services,
          hooks,
          portfolio,
          seedPending,
          work,
          cleanups,
        });
      },
      nextRun: () => timer?.next(),
      stop: async () => {
        await work.drain();
        await cleanups.closeAll();
      },
    };
  } catch (error) {
    await cleanups.closeAll();
    throw error;
  }
};

/** The HTTP server: /health with its probes, and the routes the hooks plug in. */
const serveDevHttp = async (
  store: DevStore,
  mailUrl: string,
  extraRoutes: readonly HttpRoute[],
  port: NamedPort,
  cleanups: Cleanups,
  reportProblem: (text: string) => void,
) => {
  // The health probe gets its own client without retries, so /health answers fast when the store is down.
  const probeClient = new DynamoDBClient({ ...clientOptions(store.dynamoEndpoint), maxAttempts: 1 });
  cleanups.push(() => probeClient.destroy());
  const app = createHttpApp({
    probes: { store: storeProbe(probeClient, store.tableName), mail: mailProbe(mailUrl) },
    extraRoutes,
    onUnexpectedError: (error, c) =>
      reportProblem(
        `${c.req.method} ${c.req.path} failed: ${error instanceof Error ? error.message : String(error)}`,
      ),
  });
  const http = await listening(() => startHttpServer(app, port.port), port);
  cleanups.push(() => http.stop());
  return http;
};
