import { PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCliContext } from '../../cli/context.ts';
import { seedDemoPortfolio } from '../../cli/demo/portfolio.ts';
import { reminderKey } from '../../functions/shared/adapters/dynamodb/keys.ts';
import { allPages, dunning, useStore } from '../support/cli-in-process.ts';
import { startTestStore, type TestStore } from '../support/emulators.ts';
import { scratchFolder } from '../support/scratch-folder.ts';

const OWN = [
  'invoice_id,customer_id,customer_name,customer_email,currency,amount_due,amount_paid,due_date',
  'OWN-1,ACME,Acme Ltd,ap@acme.example,EUR,100.00,,2030-01-31',
  'OWN-2,ACME,Acme Ltd,ap@acme.example,EUR,50.00,50.00,2030-01-31',
  'OWN-3,BETA,Beta GmbH,rechnung@beta.example,EUR,75.50,,2030-02-28',
  // A user's own record that happens to reuse a demo id is not the demo's.
  'DEMO-000002,ACME,Acme Ltd,ap@acme.example,EUR,10.00,,2030-03-31',
].join('\n');

describe('dunning invoices, customers and demo --remove', () => {
  let store: TestStore;
  const folder = scratchFolder('dunning-listing-');

  beforeAll(async () => {
    store = await startTestStore();
    useStore(store, { DUNNING_TIME_ZONE: 'Europe/Berlin' });
    const context = await createCliContext({});
    try {
      await seedDemoPortfolio(context, { now: new Date('2026-04-01T10:00:00Z') });
    } finally {
      context.close();
    }
  });
  afterAll(() => store.stop());

  const importOwn = async () => {
    const file = await folder.write('own.csv', OWN);
    const { code, json } = await dunning('import', file, '--json');
    expect(json.errors).toEqual([]);
    expect(code).toBe(0);
  };

  it('pages through every invoice exactly once, in pages of the limit', async () => {
    await importOwn();

    const { lines, pages } = await allPages('invoices', '--limit', '7');

    const ids = lines.map((line) => line.invoiceId);
    expect(new Set(ids).size).toBe(ids.length);
    // 84 demo invoices, one of them (DEMO-000002) now the user's own, plus OWN-1..3.
    expect(ids.length).toBe(87);
    expect(pages).toBe(Math.ceil(87 / 7));
    // 87 = 3 x 29: the third page is full and the last, so it says so (no token to an empty page).
    const exact = await allPages('invoices', '--limit', '29');
    expect(exact.lines.map((line) => line.invoiceId)).toEqual(ids);
    expect(exact.pages).toBe(3);
    expect(lines.find((line) => line.invoiceId === 'OWN-1')).toEqual({
      invoiceId: 'OWN-1',
      invoiceNumber: 'OWN-1',
      customerId: 'ACME',
      currency: 'EUR',
      amountDue: 10000,
      outstanding: 10000,
      dueDate: '2030-01-31',
      status: 'open',
    });
  });

  it("lists one customer's invoices in id order, filtered by status", async () => {
    const all = await dunning('invoices', '--customer', 'ACME', '--json');
    const paid = await dunning('invoices', '--customer', 'ACME', '--status', 'paid', '--json');
    await dunning('pause', 'BETA', '--until', '2099-01-01', '--json');
    const held = await allPages('invoices', '--status', 'held', '--limit', '1');
    const table = await dunning('invoices', '--customer', 'ACME', '--limit', '2');

    expect(all.json.invoices.map((line: { invoiceId: string }) => line.invoiceId)).toEqual([
      'DEMO-000002',
      'OWN-1',
      'OWN-2',
    ]);
    expect(all.json.next).toBeNull();
    expect(paid.json).toEqual({
      invoices: [expect.objectContaining({ invoiceId: 'OWN-2', outstanding: 0, status: 'paid' })],
      next: null,
    });
    expect(held.lines).toEqual([expect.objectContaining({ invoiceId: 'OWN-3', status: 'held' })]);
    const printed = table.stdout.split('\n');
    expect(printed[0]).toMatch(/^invoice\s+number\s+customer\s+due\s+outstanding\s+status$/);
    expect(printed[1]).toMatch(/^DEMO-000002\s+DEMO-000002\s+ACME\s+2030-03-31\s+€10\.00\s+open$/);
    expect(printed[3]).toMatch(/^More: dunning invoices --customer ACME --limit 2 --next \S+$/);
  });

  it('lists customers with their standing, and refuses a token of another listing', async () => {
    const { lines } = await allPages('customers', '--limit', '10');
    const invoicesPage = await dunning('invoices', '--limit', '1', '--json');
    const refused = await dunning('customers', '--next', invoicesPage.json.next, '--json');
    const badStatus = await dunning('invoices', '--status', 'overdue');

    expect(lines).toHaveLength(36 + 2);
    expect(lines).toContainEqual({
      customerId: 'BETA',
      name: 'Beta GmbH',
      email: 'rechnung@beta.example',
      status: 'paused',
    });
    expect(refused.code).toBe(1);
    expect(refused.json.error).toContain('is not a token this listing printed');
    expect(badStatus.code).toBe(1);
    expect(badStatus.stderr).toContain('expected one of open, paid, held');
  });

  it('demo --remove deletes the demo and its history, and nothing of the user', async () => {
    await store.documentClient.send(
      new PutCommand({
        TableName: store.tableName,
        Item: { ...reminderKey('DEMO-000010', 'courtesy'), stage: 'courtesy', status: 'sent' },
      }),
    );

    const removed = await dunning('demo', '--remove', '--json');
    const again = await dunning('demo', '--remove', '--json');
    const invoices = await allPages('invoices', '--limit', '100');
    const customers = await allPages('customers');
    const { Items = [] } = await store.documentClient.send(new ScanCommand({ TableName: store.tableName }));

    expect(removed.json.removed).toMatchObject({ customers: 36, invoices: 83 });
    expect(again.json.removed).toEqual({ customers: 0, invoices: 0, records: 0 });
    expect(invoices.lines.map((line) => line.invoiceId).sort()).toEqual([
      'DEMO-000002',
      'OWN-1',
      'OWN-2',
      'OWN-3',
    ]);
    expect(customers.lines.map((line) => line.customerId).sort()).toEqual(['ACME', 'BETA']);
    const left = Items.map((item) => `${item.pk}`).filter((pk) => pk.includes('DEMO'));
    expect(left).toEqual(['INVOICE#DEMO-000002']);
    expect(Items.some((item) => item.file === 'demo portfolio')).toBe(false);
  });
});
