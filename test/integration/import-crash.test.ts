import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portfolioRows, writePortfolioCsv } from '../../cli/demo/portfolio.ts';
import { batchGetAll } from '../../functions/shared/adapters/dynamodb/import-batches.ts';
import {
  completePendingImports,
  ImportStore,
} from '../../functions/shared/adapters/dynamodb/import-store.ts';
import {
  allDueShards,
  dueUpTo,
  IMPORT_KIND,
  importKey,
  invoiceKey,
} from '../../functions/shared/adapters/dynamodb/keys.ts';
import { LedgerReader } from '../../functions/shared/adapters/dynamodb/ledger-reader.ts';
import { importedCustomer, importedInvoice } from '../../functions/shared/domain/import/records.ts';
import { validateRow } from '../../functions/shared/domain/import/row-schema.ts';
import { parseMajor } from '../../functions/shared/domain/money.ts';
import { loadPolicy } from '../../functions/shared/policy.ts';
import { startTestStore, type TestStore } from '../support/emulators.ts';

const ROWS = 20_000;
const TODAY = '2026-04-01';
const FAR_FUTURE = new Date('2100-01-01T00:00:00Z');
const defaults = { timeZone: 'UTC', paymentUrlTemplate: 'https://pay.example.com/invoices/{invoiceId}' };

describe('an import killed mid-way', () => {
  let store: TestStore;
  let folder: string;
  let file: string;
  const rows = () => portfolioRows({ today: TODAY, invoices: ROWS, customers: 2_000, idPrefix: 'K' });

  beforeAll(async () => {
    store = await startTestStore();
    folder = await mkdtemp(join(tmpdir(), 'dunning-import-crash-'));
    file = join(folder, 'big.csv');
    await writePortfolioCsv(file, rows());
  });
  afterAll(async () => {
    await store.stop();
    await rm(folder, { recursive: true, force: true });
  });

  const env = () => ({
    ...process.env,
    DUNNING_DYNAMODB_PORT: String(store.port),
    DUNNING_TABLE_NAME: store.tableName,
    DUNNING_TARGET: 'local',
    DUNNING_TIME_ZONE: defaults.timeZone,
    DUNNING_PAYMENT_URL: defaults.paymentUrlTemplate,
  });

  /** What a dunning run reads first: every shard of the due index up to an instant. */
  const dueCount = async (asOf: Date) => {
    let count = 0;
    for (const shard of allDueShards()) {
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await store.documentClient.send(
          new QueryCommand({
            TableName: store.tableName,
            IndexName: 'due',
            KeyConditionExpression: 'dueShard = :shard AND dueAt <= :upTo',
            ExpressionAttributeValues: { ':shard': shard, ':upTo': dueUpTo(asOf) },
            Select: 'COUNT',
            ExclusiveStartKey: startKey,
          }),
        );
        count += page.Count ?? 0;
        startKey = page.LastEvaluatedKey;
      } while (startKey);
    }
    return count;
  };

  const imports = async () =>
    (
      await store.documentClient.send(
        new QueryCommand({
          TableName: store.tableName,
          IndexName: 'byKind',
          KeyConditionExpression: 'kind = :kind',
          ExpressionAttributeValues: { ':kind': IMPORT_KIND },
        }),
      )
    ).Items ?? [];

  const stagedCount = async (importId: string) =>
    (
      await store.documentClient.send(
        new QueryCommand({
          TableName: store.tableName,
          KeyConditionExpression: 'pk = :pk AND sk > :record',
          ExpressionAttributeValues: { ':pk': importKey(importId).pk, ':record': 'IMPORT' },
          Select: 'COUNT',
        }),
      )
    ).Count ?? 0;

  const killOnceStaging = async (child: ChildProcess): Promise<string> => {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    for (;;) {
      const staging = (await imports()).find((record) => record.status === 'staging');
      if (staging && (await stagedCount(String(staging.importId))) >= 2_000) {
        child.kill('SIGKILL');
        await exited;
        return String(staging.importId);
      }
      if (child.exitCode !== null) throw new Error('the import finished before it could be killed');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };

  it('shows a dunning run none of it, and a re-run of the import completes it', async () => {
    // Prepare: an import of 20k rows, killed once thousands of rows are staged.
    const child = spawn(process.execPath, ['cli/dunning.mjs', 'import', file, '--json'], {
      env: env(),
      stdio: 'ignore',
    });
    const importId = await killOnceStaging(child);

    // Assess: staged, never committed, and invisible to the reads of a run.
    expect((await imports()).find((record) => record.importId === importId)?.status).toBe('staging');
    expect(await dueCount(FAR_FUTURE)).toBe(0);
    const reader = new LedgerReader(store.documentClient, store.tableName);
    expect(await reader.getInvoice('K-000001')).toBeUndefined();
    expect(await reader.getCustomer('K-C0001')).toBeUndefined();

    // Act: the same import again, to the end.
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['cli/dunning.mjs', 'import', file, '--json'],
      {
        env: env(),
      },
    );

    // Assess: every invoice, with its exact amounts, and all of them in the due index.
    expect(JSON.parse(stdout)).toMatchObject({
      rows: ROWS,
      invoices: { new: ROWS, updated: 0, unchanged: 0 },
      customers: { new: 2_000, updated: 0 },
    });
    const expected = [...rows()];
    const stored = await batchGetAll(
      store.documentClient,
      store.tableName,
      expected.map((row) => invoiceKey(row.invoice_id ?? '')),
      ['pk', 'amountDue', 'amountPaid', 'currency'],
    );
    expect(stored.size).toBe(ROWS);
    const mismatches = expected.filter((row) => {
      const item = stored.get(invoiceKey(row.invoice_id ?? '').pk);
      const currency = row.currency ?? '';
      return (
        item?.currency !== currency ||
        item.amountDue !== parseMajor(row.amount_due ?? '', currency) ||
        item.amountPaid !== (row.amount_paid ? parseMajor(row.amount_paid, currency) : 0)
      );
    });
    expect(mismatches).toEqual([]);
    expect(await dueCount(FAR_FUTURE)).toBe(ROWS);
    expect((await imports()).find((record) => record.importId === importId)?.status).toBe('applied');
    expect(await stagedCount(importId)).toBe(0);
  }, 300_000);
});

describe('an import killed after its commit', () => {
  let store: TestStore;
  beforeAll(async () => {
    store = await startTestStore();
  });
  afterAll(() => store.stop());

  it('is invisible until rolled forward, then complete, by the next run or import', async () => {
    // Prepare: staged and committed, as an importer would leave it when killed right after the commit.
    const deps = { client: store.documentClient, tableName: store.tableName, policy: loadPolicy() };
    const importStore = new ImportStore(deps);
    const staged = [...portfolioRows({ today: TODAY, invoices: 30, customers: 10, idPrefix: 'R' })].flatMap(
      (raw, index) => {
        const result = validateRow(raw, defaults);
        if (!result.ok) throw new Error('demo row did not validate');
        const row = index + 2;
        return [
          { part: 'INVOICE' as const, row, invoice: importedInvoice(result.row, result.row.timeZone) },
          ...(index >= 20
            ? [{ part: 'CUSTOMER' as const, row, customer: importedCustomer(result.row) }]
            : []),
        ];
      },
    );
    await importStore.begin('crashed', 'crashed.csv', 30);
    await importStore.stage('crashed', staged);
    await importStore.commit('crashed', { invoices: 30, customers: 10 });
    const reader = new LedgerReader(store.documentClient, store.tableName);
    expect(await reader.getInvoice('R-000001')).toBeUndefined();

    // Act: what a dunning run does before it reads the due index.
    const completed = await completePendingImports(deps);

    // Assess
    expect(completed).toEqual(['crashed']);
    expect((await reader.getInvoice('R-000001'))?.version).toBe(1);
    expect((await reader.getCustomer('R-C0001'))?.status).toBe('active');
    expect((await importStore.getRecord('crashed'))?.status).toBe('applied');
    expect(await completePendingImports(deps)).toEqual([]);
  });
});
