import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { writePortfolioCsv } from '../cli/demo/portfolio.ts';
import { LOCAL_SES_ACCOUNT } from '../cli/local/ses-emulator.ts';
import { createDocumentClient, createDynamoClient } from '../functions/shared/adapters/dynamodb/client.ts';
import { ensureTables } from '../functions/shared/adapters/dynamodb/create-tables.ts';
import { localEndpoint, type ServiceEndpoint } from '../functions/shared/adapters/endpoints.ts';
import { type LocalConfig, loadConfig, localConfigSchema } from '../functions/shared/config.ts';
import { localDate } from '../functions/shared/domain/calendar.ts';
import { ledgerTable } from '../functions/shared/tables.ts';
import { type EmulatorProcess, firstLine, spawnBenchScript, startEmulatorProcess } from './child.ts';
import { type Metering, meterStore } from './metering.ts';
import { benchAsOf, benchPortfolio } from './portfolio.ts';

/** An SES account as the emulator reports it, with the given send rate (sends per second). */
export const sesAccountWithRate = (maxSendRate: number): string =>
  JSON.stringify({
    ...LOCAL_SES_ACCOUNT,
    SendQuota: { Max24HourSend: 10_000_000, MaxSendRate: maxSendRate, SentLast24Hours: 0 },
  });

/** A send rate no bench run reaches: the mailer paces itself to the quota, which would be all it measured. */
const UNLIMITED_RATE = 100_000;

export interface ImportMeasure {
  readonly rows: number;
  readonly ms: number;
  readonly peakRssMb: number;
}

/** What every part of the bench shares: the emulators (each its own process), a metered store client. */
export interface BenchServices {
  readonly store: EmulatorProcess;
  readonly mail: EmulatorProcess;
  readonly dynamo: DynamoDBClient;
  readonly metering: Metering;
  readonly documentClient: DynamoDBDocumentClient;
  readonly sesEndpoint: ServiceEndpoint;
  readonly config: LocalConfig;
  /** The bench's run instant: 14:30 UTC on the last Wednesday, business hours for the bench's zones. */
  readonly asOf: Date;
  readonly today: string;
  readonly folder: string;
  /** aws-ses-v2-local keeps every message in memory (~10 KB each); nothing reads them back. */
  clearMail(): Promise<void>;
  /** Creates a fresh ledger table and imports the portfolio into it in a process of its own. */
  importPortfolio(
    tableName: string,
    portfolio: Omit<Parameters<typeof benchPortfolio>[0], 'today'>,
  ): Promise<ImportMeasure>;
  stop(): Promise<void>;
}

export const startBenchServices = async (): Promise<BenchServices> => {
  const store = await startEmulatorProcess('dynamodb');
  const mail = await startEmulatorProcess('ses', {
    ...process.env,
    AWS_SES_ACCOUNT: sesAccountWithRate(UNLIMITED_RATE),
  });
  const folder = await mkdtemp(join(tmpdir(), 'dunning-bench-'));
  const dynamo = createDynamoClient(localEndpoint(store.port));
  const metering = meterStore(dynamo);
  const documentClient = createDocumentClient(dynamo);
  const asOf = benchAsOf();
  const today = localDate(asOf, 'UTC');
  return {
    store,
    mail,
    dynamo,
    metering,
    documentClient,
    sesEndpoint: localEndpoint(mail.port),
    config: loadConfig(localConfigSchema, {}),
    asOf,
    today,
    folder,
    clearMail: async () => {
      await fetch(`${mail.url}/clear-store`, { method: 'POST' });
    },
    importPortfolio: async (tableName, portfolio) => {
      await ensureTables(dynamo, [{ definition: ledgerTable, tableName }]);
      const file = join(folder, `${tableName}.csv`);
      await writePortfolioCsv(file, benchPortfolio({ today, ...portfolio }));
      const line = await firstLine(
        spawnBenchScript('./import-child.ts', [file, String(store.port), tableName]),
      );
      await rm(file, { force: true });
      return JSON.parse(line) as ImportMeasure;
    },
    stop: async () => {
      await store.stop();
      await mail.stop();
      documentClient.destroy();
      await rm(folder, { recursive: true, force: true });
    },
  };
};
