import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { QueryCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allDueShards, dueUpTo, invoiceKey } from '../../functions/shared/adapters/dynamodb/keys.ts';
import { LedgerReader } from '../../functions/shared/adapters/dynamodb/ledger-reader.ts';
import { dunning, useStore } from '../support/cli-in-process.ts';
import { startTestStore, type TestStore } from '../support/emulators.ts';
import { testRecorder } from '../support/payment-hosts.ts';
import { scratchFolder } from '../support/scratch-folder.ts';

const FIXTURES = 'test/fixtures/import';
const HEADER =
  'invoice_id,customer_id,customer_name,customer_email,currency,amount_due,due_date,customer_timezone';

describe('dunning import against dynalite', () => {
  let store: TestStore;
  let reader: LedgerReader;
  const { write: file } = scratchFolder('dunning-import-test-');

  beforeAll(async () => {
    store = await startTestStore();
    reader = new LedgerReader(store.documentClient, store.tableName);
    useStore(store, {
      DUNNING_TIME_ZONE: 'Europe/London',
      DUNNING_PAYMENT_URL: 'https://pay.example.com/i/{invoiceId}',
    });
  });
  afterAll(() => store.stop());

  const scanAll = async () => {
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await store.documentClient.send(
        new ScanCommand({ TableName: store.tableName, ConsistentRead: true, ExclusiveStartKey: startKey }),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items.sort((a, b) => `${a.pk}${a.sk}`.localeCompare(`${b.pk}${b.sk}`));
  };

  const dueIds = async (asOf: Date) => {
    const ids: string[] = [];
    for (const shard of allDueShards()) {
      const page = await store.documentClient.send(
        new QueryCommand({
          TableName: store.tableName,
          IndexName: 'due',
          KeyConditionExpression: 'dueShard = :shard AND dueAt <= :upTo',
          ExpressionAttributeValues: { ':shard': shard, ':upTo': dueUpTo(asOf) },
        }),
      );
      ids.push(...(page.Items ?? []).map((item) => String(item.pk)));
    }
    return ids.sort();
  };

  it('imports a good CSV with exact minor amounts, newest customer row winning', async () => {
    // Act
    const { code, json } = await dunning('import', `${FIXTURES}/good.csv`, '--json');

    // Assess
    expect(code).toBe(0);
    expect(json).toEqual({
      file: `${FIXTURES}/good.csv`,
      dryRun: false,
      rows: 4,
      invoices: { new: 4, updated: 0, unchanged: 0 },
      customers: { new: 3, updated: 0, unchanged: 0 },
      warnings: [
        'ignored unknown columns: notes',
        'customer_locale without reminder templates: ar-KW (1 row); these customers get reminders in English, with English dates and amounts',
      ],
      errors: [],
    });
    expect(await reader.getInvoice('INV-1')).toMatchObject({
      invoiceNumber: 'INV-1',
      customerId: 'C-1',
      currency: 'USD',
      amountDue: 123450,
      amountPaid: 50,
      amountReceived: 0,
      feesCharged: 0,
      issueDate: '2026-03-01',
      dueDate: '2026-03-31',
      status: 'open',
      claims: {},
      appliedEventIds: [],
      flags: [],
      version: 1,
      paymentUrl: 'https://pay.example.com/i/INV-1',
      // The courtesy stage, three days before the due date, from midnight in New York.
      nextActionAt: '2026-03-28T04:00:00.000Z',
    });
    expect((await reader.getInvoice('INV-2'))?.amountDue).toBe(12345);
    expect((await reader.getInvoice('INV-3'))?.amountDue).toBe(120000);
    expect((await reader.getInvoice('INV-4'))?.amountDue).toBe(9990);
    expect(await reader.getCustomer('C-1')).toEqual({
      customerId: 'C-1',
      name: 'Acme, Inc.',
      email: 'accounts@acme.example',
      locale: 'en-US',
      timeZone: 'America/New_York',
      address: '1 Main St\nSpringfield',
      // No customer_country column: the country America/New_York names.
      country: 'US',
      status: 'active',
    });
    expect((await reader.getCustomer('C-2'))?.locale).toBe('ar-KW');
    expect(await dueIds(new Date('2026-03-28T04:00:00.000Z'))).toContain('INVOICE#INV-1');
  });

  it('changes nothing when the same file is imported again', async () => {
    // Prepare
    const before = await scanAll();

    // Act
    const { code, json } = await dunning('import', `${FIXTURES}/good.csv`, '--json');

    // Assess
    expect(code).toBe(0);
    expect(json.invoices).toEqual({ new: 0, updated: 0, unchanged: 4 });
    expect(json.customers).toEqual({ new: 0, updated: 0, unchanged: 3 });
    expect(await scanAll()).toEqual(before);
  });

  it('updates a changed invoice, recomputes its next action and keeps its dunning history', async () => {
    // Prepare: the invoice has had a reminder and a payment since it was imported.
    const path = await file(
      'first.csv',
      `${HEADER}\nU-1,UC-1,Umbra Ltd,ap@umbra.example,GBP,500.00,2026-03-31,Europe/London\n`,
    );
    const first = await dunning('import', path, '--json');
    expect(first.code, first.stdout).toBe(0);
    await store.documentClient.send(
      new UpdateCommand({
        TableName: store.tableName,
        Key: invoiceKey('U-1'),
        UpdateExpression:
          'SET claims = :claims, stage = :stage, amountReceived = :received, feesCharged = :fees, appliedEventIds = :events, version = :two',
        ExpressionAttributeValues: {
          ':claims': {
            courtesy: {
              stage: 'courtesy',
              status: 'sent',
              claimedAt: '2026-03-28T09:00:00.000Z',
              runId: 'r1',
            },
          },
          ':stage': 'courtesy',
          ':received': 10000,
          ':fees': 0,
          ':events': ['evt_1'],
          ':two': 2,
        },
      }),
    );
    const updated = await file(
      'second.csv',
      `${HEADER}\nU-1,UC-1,Umbra Ltd,billing@umbra.example,GBP,600.00,2026-04-30,Europe/London\n`,
    );

    // Act
    const { code, json, stdout } = await dunning('import', updated, '--json');

    // Assess
    expect(code, stdout).toBe(0);
    expect(json.invoices).toEqual({ new: 0, updated: 1, unchanged: 0 });
    expect(json.customers).toEqual({ new: 0, updated: 1, unchanged: 0 });
    expect(await reader.getInvoice('U-1')).toMatchObject({
      amountDue: 60000,
      dueDate: '2026-04-30',
      amountReceived: 10000,
      stage: 'courtesy',
      claims: { courtesy: { status: 'sent', runId: 'r1' } },
      appliedEventIds: ['evt_1'],
      version: 3,
      // Next unclaimed stage is "first", a day after the new due date, from midnight in London (BST).
      nextActionAt: '2026-04-30T23:00:00.000Z',
    });
    expect((await reader.getCustomer('UC-1'))?.email).toBe('billing@umbra.example');
    expect(await dueIds(new Date('2026-04-30T23:00:00.000Z'))).toContain('INVOICE#U-1');
    expect(await dueIds(new Date('2026-04-30T22:59:59.000Z'))).not.toContain('INVOICE#U-1');
  });

  it('writes nothing for a file with bad rows and lists every one of them', async () => {
    // Prepare
    const before = await scanAll();

    // Act
    const { code, json } = await dunning('import', `${FIXTURES}/bad.csv`, '--json');

    // Assess
    expect(code).toBe(1);
    expect(json.error).toMatch(/bad\.csv: 11 bad rows, nothing was imported/);
    expect(json.errors.map((error: { row: number; column: string }) => [error.row, error.column])).toEqual([
      [2, 'amount_due'],
      [3, 'amount_due'],
      [4, 'customer_email'],
      [4, 'due_date'],
      [5, 'currency'],
      [6, 'amount_due'],
      [7, 'amount_paid'],
      [8, 'customer_timezone'],
      [9, 'customer_locale'],
      [10, 'customer_id'],
      [12, 'invoice_id'],
      [13, 'amount_due'],
    ]);
    expect(json.errors[1]).toEqual({
      row: 3,
      column: 'amount_due',
      value: '1200.5',
      reason: 'JPY has no minor unit: no decimals allowed',
    });
    expect(await scanAll()).toEqual(before);
  });

  it('reports what a dry run would do and writes nothing', async () => {
    // Prepare
    const before = await scanAll();
    const path = await file(
      'dry.csv',
      `${HEADER}\nD-1,C-1,Acme,ap@acme.example,EUR,10.00,2026-05-01,\nINV-1,C-1,Acme,ap@acme.example,USD,1.00,2026-05-01,\n`,
    );

    // Act
    const { code, json } = await dunning('import', path, '--dry-run', '--json');

    // Assess
    expect(code).toBe(0);
    expect(json).toMatchObject({
      dryRun: true,
      rows: 2,
      invoices: { new: 1, updated: 1, unchanged: 0 },
      customers: { new: 0, updated: 1 },
    });
    expect(await scanAll()).toEqual(before);
  });

  it('imports a JSON file and refuses one with a numeric amount', async () => {
    const good = await dunning('import', `${FIXTURES}/good.json`, '--json');
    expect(good.code, good.stdout).toBe(0);
    expect(good.json.invoices).toEqual({ new: 2, updated: 0, unchanged: 0 });
    expect((await reader.getInvoice('J-2'))?.amountPaid).toBe(10000);

    const path = await file('numeric.json', JSON.stringify([{ invoice_id: 'N-1', amount_due: 12.5 }]));
    const bad = await dunning('import', path, '--json');
    expect(bad.code).toBe(1);
    expect(bad.json.errors).toContainEqual({
      row: 2,
      line: 1,
      column: 'amount_due',
      value: '12.5',
      reason: 'amounts must be decimal strings such as "1234.50", not JSON numbers',
    });
  });

  it('applies a payment that arrived before its invoice once the invoice is imported', async () => {
    // Prepare: the provider reported a payment for an invoice the store does not know yet.
    const recorder = testRecorder(store, { defaultTimeZone: 'Europe/London' });
    const early = await recorder.record({
      eventId: 'standard:msg_early',
      provider: 'standard',
      type: 'payment.succeeded',
      invoiceId: 'P-1',
      kind: 'payment',
      amount: 2_500,
      currency: 'GBP',
      occurredAt: '2026-03-20T10:00:00Z',
      refs: ['standard:pay_early'],
    });
    const path = await file(
      'paid.csv',
      `${HEADER}\nP-1,PC-1,Early Payer,ap@early.example,GBP,100.00,2026-04-30,\n`,
    );

    // Act
    const { code } = await dunning('import', path, '--json');

    // Assess
    expect(early).toBe('unmatched');
    expect(code).toBe(0);
    expect(await reader.getInvoice('P-1')).toMatchObject({ amountDue: 10_000, amountReceived: 2_500 });
    expect(await recorder.unmatched.listAll()).toEqual([]);
  });

  it.each([
    ['an empty file', '', /empty/],
    ['a header-only file', `${HEADER}\r\n`, /header row but no invoice rows/],
    ['an empty JSON array', '[]', /no invoice rows/],
  ])('refuses %s as a user error', async (_case, text, message) => {
    const path = await file('edge.csv', text);
    const { code, json } = await dunning('import', path, '--json');
    expect(code).toBe(1);
    expect(json.error).toMatch(message);
  });

  it('exits 1 as a process with one JSON document naming the missing file', async () => {
    const run = promisify(execFile);
    const outcome = await run(process.execPath, ['cli/dunning.mjs', 'import', 'no/such.csv', '--json'], {
      env: { ...process.env },
    }).catch((error: { code: number; stdout: string; stderr: string }) => error);
    expect('code' in outcome ? outcome.code : 0).toBe(1);
    expect(JSON.parse(outcome.stdout)).toEqual({ error: 'no/such.csv: no such file' });
    expect(outcome.stderr).not.toMatch(/at .*\.ts/);
  });
});
