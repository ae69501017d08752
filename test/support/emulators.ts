import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startDynamoEmulator } from '../../cli/local/dynamodb-emulator.ts';
import { startSesEmulator } from '../../cli/local/ses-emulator.ts';
import { createDocumentClient, createDynamoClient } from '../../functions/shared/adapters/dynamodb/client.ts';
import { ensureTables } from '../../functions/shared/adapters/dynamodb/create-tables.ts';
import { localEndpoint, type ServiceEndpoint } from '../../functions/shared/adapters/endpoints.ts';
import { ledgerTable } from '../../functions/shared/tables.ts';
import { startDynamoDbLocal } from './dynamodb-local.ts';

/**
 * Emulators for tests: each suite starts its own on a free port and stops it, so suites run in
 * parallel without sharing state. dynalite keeps its data in memory unless a path is given.
 */
export interface TestStore {
  readonly port: number;
  readonly endpoint: ServiceEndpoint;
  readonly documentClient: DynamoDBDocumentClient;
  readonly tableName: string;
  stop(): Promise<void>;
}

export const startTestStore = async (
  options: { path?: string; tableName?: string } = {},
): Promise<TestStore> => {
  // `npm run test:conformance` runs the same suites on AWS's DynamoDB Local (in memory).
  const emulator =
    process.env.DUNNING_TEST_STORE === 'dynamodb-local'
      ? await startDynamoDbLocal()
      : await startDynamoEmulator(0, options.path);
  const endpoint = localEndpoint(emulator.port);
  const client = createDynamoClient(endpoint);
  const documentClient = createDocumentClient(client);
  const tableName = options.tableName ?? 'test-ledger';
  await ensureTables(client, [{ definition: ledgerTable, tableName }]);
  return {
    port: emulator.port,
    endpoint,
    documentClient,
    tableName,
    stop: async () => {
      documentClient.destroy();
      await emulator.stop();
    },
  };
};

export interface SentEmail {
  readonly messageId: string;
  readonly from: string;
  readonly replyTo?: string[];
  readonly destination: { to: string[]; cc: string[]; bcc: string[] };
  readonly subject: string;
  readonly body: { text?: string; html?: string };
  readonly at: number;
}

export interface TestMailbox {
  readonly port: number;
  readonly endpoint: ServiceEndpoint;
  /** Every message the emulator accepted, read back over its HTTP API as its web page does. */
  emails(): Promise<SentEmail[]>;
  clear(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * aws-ses-v2-local keeps one in-memory mail store per process; vitest gives each test file its own.
 * The emulator answers GetAccount from `AWS_SES_ACCOUNT` on every request: an `account` given here
 * holds until `stop()`, which puts back whatever the variable was before.
 */
export const startTestMailbox = async (options: { account?: string } = {}): Promise<TestMailbox> => {
  const previousAccount = process.env.AWS_SES_ACCOUNT;
  const restoreAccount = () => {
    if (options.account === undefined) return;
    if (previousAccount === undefined) delete process.env.AWS_SES_ACCOUNT;
    else process.env.AWS_SES_ACCOUNT = previousAccount;
  };
  if (options.account !== undefined) process.env.AWS_SES_ACCOUNT = options.account;
  const emulator = await startSesEmulator(0).catch((error: unknown) => {
    restoreAccount();
    throw error;
  });
  return {
    port: emulator.port,
    endpoint: localEndpoint(emulator.port),
    emails: async () =>
      ((await (await fetch(`${emulator.url}/store`)).json()) as { emails: SentEmail[] }).emails,
    clear: async () => {
      await fetch(`${emulator.url}/clear-store`, { method: 'POST' });
    },
    stop: async () => {
      await emulator.stop();
      restoreAccount();
    },
  };
};
