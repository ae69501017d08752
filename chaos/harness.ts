import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createHttpApp } from '../cli/http/app.ts';
import { localCareRoutes } from '../cli/http/care-routes.ts';
import { type RunningHttpServer, startHttpServer } from '../cli/http/server.ts';
import { localWebhookRoutes } from '../cli/http/webhook-routes.ts';
import { createLocalRun } from '../functions/run/local.ts';
import { createDocumentClient, createDynamoClient } from '../functions/shared/adapters/dynamodb/client.ts';
import { ensureTables } from '../functions/shared/adapters/dynamodb/create-tables.ts';
import { readInvoiceAudit } from '../functions/shared/adapters/dynamodb/run-audit.ts';
import { createSendingClient } from '../functions/shared/adapters/ses/client.ts';
import { SesMailer } from '../functions/shared/adapters/ses/mailer.ts';
import { buildCustomerCare } from '../functions/shared/composition/customer-care.ts';
import { importDepsOf, importFile } from '../functions/shared/composition/import.ts';
import { composeLocal } from '../functions/shared/composition/local.ts';
import { type LocalConfig, localConfigSchema } from '../functions/shared/config.ts';
import type { CustomerCare } from '../functions/shared/domain/customer-care/ports.ts';
import type { ImportSummary } from '../functions/shared/domain/import/summary.ts';
import { type ShowDocument, showDocument } from '../functions/shared/domain/run/audit.ts';
import type { RunSummary } from '../functions/shared/domain/run/summary.ts';
import { ledgerTable } from '../functions/shared/tables.ts';
import { factRenderer, SES_ACCOUNT } from '../test/integration/run-support.ts';
import {
  startTestMailbox,
  startTestStore,
  type TestMailbox,
  type TestStore,
} from '../test/support/emulators.ts';
import {
  FaultPlan,
  type FaultPlanOptions,
  injectMailFaults,
  injectStoreFaults,
} from '../test/support/faults.ts';
import { testSecrets } from '../test/support/payment-fixtures.ts';

/**
 * One trial of the product on the emulators: a fresh table in a shared dynalite, the SES emulator,
 * the local webhook server (the very routes `dunning dev` mounts), imports and runs through the
 * same adapters as the CLI. With a fault plan, the system under test talks through clients that
 * fail at seeded points; the checks read back through clean ones.
 */

export interface Emulators {
  readonly store: TestStore;
  readonly mailbox: TestMailbox;
  stop(): Promise<void>;
}

export const startEmulators = async (): Promise<Emulators> => {
  // A quota high enough that the mailer's pacing never slows a trial.
  process.env.AWS_SES_ACCOUNT = SES_ACCOUNT;
  const [store, mailbox] = await Promise.all([startTestStore(), startTestMailbox()]);
  return {
    store,
    mailbox,
    stop: async () => {
      await Promise.all([store.stop(), mailbox.stop()]);
    },
  };
};

export interface TrialOptions {
  readonly faults?: FaultPlanOptions;
  /** The product's own templates instead of the fact renderer (security checks read real mail). */
  readonly realTemplates?: boolean;
}

export interface PostResult {
  readonly status: number;
  readonly text: string;
}

export interface Trial {
  readonly tableName: string;
  readonly plan: FaultPlan | undefined;
  readonly secrets: TrialSecrets;
  readonly httpUrl: string;
  /** Every line the webhook code handed its Powertools logger, as JSON. */
  readonly logLines: string[];
  /** The signatures of every delivery posted: none may come back in a response, log line or email. */
  readonly signatures: Set<string>;
  /** Every response body the webhook server gave. */
  readonly responses: string[];
  readonly config: LocalConfig;
  /** Pause, resume, dispute: the customer-care writes `dunning pause`/`resume`/`dispute` make. */
  readonly care: CustomerCare;
  importRows(name: string, content: string): Promise<ImportSummary>;
  run(asOf: Date): Promise<RunSummary>;
  post(path: string, body: string | Uint8Array, headers: Record<string, string>): Promise<PostResult>;
  /** Any other request to the local server (the opt-out page). */
  request(pathAndQuery: string, init?: RequestInit): Promise<PostResult>;
  show(invoiceId: string): Promise<ShowDocument | undefined>;
  stop(): Promise<void>;
}

export type TrialSecrets = ReturnType<typeof testSecrets> & { readonly optOut: string };

let trialCount = 0;

/** The secret parts of the signature headers: Stripe's `v1=` hex, Standard Webhooks' `v1,` base64. */
export const signatureValues = (headers: Record<string, string>): string[] => [
  ...[...(headers['stripe-signature'] ?? '').matchAll(/v1=([0-9a-f]+)/g)].map((match) => match[1] as string),
  ...(headers['webhook-signature'] ?? '')
    .split(' ')
    .map((part) => part.split(',')[1] ?? '')
    .filter((part) => part.length > 0),
];

const capturingLogger = (lines: string[]) => {
  // The real Powertools logger (its JSON lines on stdout are silenced here); every call is also
  // kept, so the security check reads exactly what the product chose to log.
  const powertools = new Logger({ serviceName: 'dunning-payments', logLevel: 'SILENT' });
  const keep = (level: string) => (message: string, attributes: Record<string, unknown>) => {
    lines.push(JSON.stringify({ level, message, ...attributes }));
    if (level === 'warn') powertools.warn(message, attributes);
    else powertools.info(message, attributes);
  };
  return { info: keep('info'), warn: keep('warn') };
};

export const startTrial = async (emulators: Emulators, options: TrialOptions = {}): Promise<Trial> => {
  trialCount += 1;
  const tableName = `trial-${process.pid}-${trialCount}`;
  const { store, mailbox } = emulators;
  const admin = createDynamoClient(store.endpoint);
  try {
    await ensureTables(admin, [{ definition: ledgerTable, tableName }]);
  } finally {
    admin.destroy();
  }
  const plan = options.faults ? new FaultPlan(options.faults) : undefined;
  const client: DynamoDBDocumentClient = createDocumentClient(store.endpoint);
  const rival = plan ? injectStoreFaults(client, plan, { endpoint: store.endpoint, tableName }) : undefined;
  const ses = createSendingClient(mailbox.endpoint);
  if (plan) injectMailFaults(ses, plan);
  const config = localConfigSchema.parse({});
  const mailer = new SesMailer(ses, {
    from: config.DUNNING_FROM,
    // Backoff without the wait: the retries still happen, the trial does not sleep through them.
    sleep: () => new Promise((resolve) => setTimeout(resolve, 1)),
  });
  const secrets: TrialSecrets = { ...testSecrets(), optOut: randomBytes(32).toString('base64url') };
  const logLines: string[] = [];
  const signatures = new Set<string>();
  const responses: string[] = [];
  const logger = capturingLogger(logLines);
  // The composition `dunning dev` builds, on the trial's table and its fault-injecting client.
  const composition = composeLocal(config, tableName, { dynamo: client, ses: mailbox.endpoint });
  const routes = [
    ...localWebhookRoutes(composition, secrets, logger),
    ...(await localCareRoutes(composition, secrets, logger)),
  ];
  const app = createHttpApp({
    probes: { store: async () => true, mail: async () => true },
    extraRoutes: routes,
    onUnexpectedError: (error) => logLines.push(JSON.stringify({ level: 'error', message: String(error) })),
  });
  const server: RunningHttpServer = await startHttpServer(app, 0);
  const local = createLocalRun(
    composition,
    { optOut: secrets.optOut },
    { mailer, ...(options.realTemplates ? {} : { render: factRenderer }) },
  );
  const dir = mkdtempSync(join(tmpdir(), 'dunning-chaos-'));
  const care = buildCustomerCare(composition);

  return {
    tableName,
    plan,
    secrets,
    httpUrl: server.url,
    logLines,
    signatures,
    responses,
    config,
    care,
    importRows: async (name, content) => {
      const file = join(dir, name);
      writeFileSync(file, content);
      return importFile(importDepsOf(composition), file, { label: name });
    },
    run: async (asOf) => (await local.runAll({ asOf })).summary,
    request: async (pathAndQuery, init) => {
      const response = await fetch(`${server.url}${pathAndQuery}`, init);
      const text = await response.text();
      responses.push(text);
      return { status: response.status, text };
    },
    post: async (path, body, headers) => {
      for (const signature of signatureValues(headers)) signatures.add(signature);
      const response = await fetch(`${server.url}${path}`, { method: 'POST', body, headers });
      const text = await response.text();
      responses.push(text);
      return { status: response.status, text };
    },
    show: async (invoiceId) => {
      const audit = await readInvoiceAudit(store.documentClient, tableName, invoiceId);
      return audit && showDocument(audit);
    },
    stop: async () => {
      local.close();
      rival?.close();
      await server.stop();
      client.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};
