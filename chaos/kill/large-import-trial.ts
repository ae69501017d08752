import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DynamoDBDocumentClient, paginateQuery, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { portfolioRows, writePortfolioCsv } from '../../cli/demo/portfolio.ts';
import { batchGetAll } from '../../functions/shared/adapters/dynamodb/batches.ts';
import {
  allDueShards,
  dueUpTo,
  importKey,
  invoiceKey,
} from '../../functions/shared/adapters/dynamodb/keys.ts';
import { LedgerReader } from '../../functions/shared/adapters/dynamodb/ledger-reader.ts';
import { parseMajor } from '../../functions/shared/domain/money.ts';
import { cliEnv, runCli, startCli } from '../../test/e2e/cli-process.ts';
import { startTestStore } from '../../test/support/emulators.ts';
import { importRecords } from './harness.ts';

const ROWS = 20_000;
const CUSTOMERS = 2_000;
const TODAY = '2026-04-01';
const FAR_FUTURE = new Date('2100-01-01T00:00:00Z');
/** Staged rows by the time of the kill: well into staging, long before the commit. */
const KILL_AFTER_STAGED = 2_000;

export interface LargeImportKill {
  readonly violations: string[];
  readonly stagedAtKill: number;
  readonly seconds: number;
}

/** How many items a query matches, counted page by page by the SDK's own paginator. */
const countAll = async (client: DynamoDBDocumentClient, input: QueryCommandInput) => {
  let count = 0;
  for await (const page of paginateQuery({ client }, { ...input, Select: 'COUNT' })) count += page.Count ?? 0;
  return count;
};

/** What a dunning run reads first: every shard of the due index up to an instant. */
const dueCount = async (client: DynamoDBDocumentClient, tableName: string, asOf: Date) => {
  let count = 0;
  for (const shard of allDueShards()) {
    count += await countAll(client, {
      TableName: tableName,
      IndexName: 'due',
      KeyConditionExpression: 'dueShard = :shard AND dueAt <= :upTo',
      ExpressionAttributeValues: { ':shard': shard, ':upTo': dueUpTo(asOf) },
    });
  }
  return count;
};

const stagedCount = (client: DynamoDBDocumentClient, tableName: string, importId: string) =>
  countAll(client, {
    TableName: tableName,
    KeyConditionExpression: 'pk = :pk AND sk > :record',
    ExpressionAttributeValues: { ':pk': importKey(importId).pk, ':record': 'IMPORT' },
  });

/**
 * A 20,000-row `dunning import` SIGKILLed once thousands of its rows are staged, then run again.
 * Killed, it must show a dunning run nothing (no invoice, no customer, nothing in the due index);
 * re-run, every invoice with the file's exact amounts, all of them due, nothing left staged.
 */
export const largeImportKill = async (): Promise<LargeImportKill> => {
  const started = Date.now();
  const store = await startTestStore();
  const folder = await mkdtemp(join(tmpdir(), 'dunning-kill-large-import-'));
  const { documentClient: client, tableName } = store;
  const violations: string[] = [];
  try {
    const rows = () => portfolioRows({ today: TODAY, invoices: ROWS, customers: CUSTOMERS, idPrefix: 'K' });
    const file = join(folder, 'big.csv');
    await writePortfolioCsv(file, rows());
    const env = cliEnv({
      DUNNING_DYNAMODB_PORT: String(store.port),
      DUNNING_TABLE_NAME: tableName,
      DUNNING_TIME_ZONE: 'UTC',
      DUNNING_DATA_DIR: folder,
    });

    // Act: the import, killed once thousands of rows are staged.
    const killed = startCli(['import', file, '--json'], env);
    const importId = await killOnceStaging(killed.child, client, tableName);
    await killed.exited(60_000);

    // Assess: staged, never committed, and invisible to the reads of a run.
    const stagedAtKill = await stagedCount(client, tableName, importId);
    const statusOf = async () =>
      (await importRecords(client, tableName)).find((record) => record.importId === importId)?.status;
    if ((await statusOf()) !== 'staging')
      violations.push(`killed import is ${await statusOf()}, not staging`);
    const dueAtKill = await dueCount(client, tableName, FAR_FUTURE);
    if (dueAtKill !== 0) violations.push(`${dueAtKill} invoices due after the kill`);
    const reader = new LedgerReader(client, tableName);
    if (await reader.getInvoice('K-000001')) violations.push('an invoice is visible after the kill');
    if (await reader.getCustomer('K-C0001')) violations.push('a customer is visible after the kill');

    // Act: the same import again, to the end.
    const rerun = await runCli(['import', file, '--json'], env);
    if (rerun.code !== 0) violations.push(`re-run exited ${rerun.code}: ${rerun.stderr.slice(0, 200)}`);
    else {
      const summary = JSON.parse(rerun.stdout) as {
        rows: number;
        invoices: { new: number };
        customers: { new: number };
      };
      if (summary.rows !== ROWS || summary.invoices.new !== ROWS || summary.customers.new !== CUSTOMERS)
        violations.push(`re-run summary ${JSON.stringify(summary)}`);
    }

    // Assess: every invoice with its exact amounts, all of them due, the import applied.
    const expected = [...rows()];
    const stored = await batchGetAll(
      client,
      tableName,
      expected.map((row) => invoiceKey(row.invoice_id ?? '')),
      ['pk', 'amountDue', 'amountPaid', 'currency'],
    );
    if (stored.size !== ROWS) violations.push(`${stored.size} of ${ROWS} invoices stored`);
    const mismatches = expected.filter((row) => {
      const item = stored.get(invoiceKey(row.invoice_id ?? '').pk);
      const currency = row.currency ?? '';
      return (
        item?.currency !== currency ||
        item.amountDue !== parseMajor(row.amount_due ?? '', currency) ||
        item.amountPaid !== (row.amount_paid ? parseMajor(row.amount_paid, currency) : 0)
      );
    });
    if (mismatches.length)
      violations.push(`${mismatches.length} invoices with other amounts than the file's`);
    const due = await dueCount(client, tableName, FAR_FUTURE);
    if (due !== ROWS) violations.push(`${due} of ${ROWS} invoices in the due index`);
    if ((await statusOf()) !== 'applied') violations.push(`re-run left the import ${await statusOf()}`);
    const left = await stagedCount(client, tableName, importId);
    if (left !== 0) violations.push(`${left} staged rows left`);
    return { violations, stagedAtKill, seconds: Math.round((Date.now() - started) / 1000) };
  } finally {
    await store.stop();
    await rm(folder, { recursive: true, force: true });
  }
};

const killOnceStaging = async (
  child: ChildProcess,
  client: DynamoDBDocumentClient,
  tableName: string,
): Promise<string> => {
  for (;;) {
    const staging = (await importRecords(client, tableName)).find((record) => record.status === 'staging');
    if (staging && (await stagedCount(client, tableName, String(staging.importId))) >= KILL_AFTER_STAGED) {
      child.kill('SIGKILL');
      return String(staging.importId);
    }
    if (child.exitCode !== null) throw new Error('the import finished before it could be killed');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};
