import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCliContext } from '../../cli/context.ts';
import { seedDemoPortfolio } from '../../cli/demo/portfolio.ts';
import { LedgerReader } from '../../functions/shared/adapters/dynamodb/ledger-reader.ts';
import { startTestStore, type TestStore } from '../support/emulators.ts';

describe('Demo portfolio seeded through the import path', () => {
  let store: TestStore;
  beforeAll(async () => {
    store = await startTestStore();
  });
  afterAll(() => store.stop());

  const context = () =>
    createCliContext(
      {},
      {
        DUNNING_DYNAMODB_PORT: String(store.port),
        DUNNING_TABLE_NAME: store.tableName,
        DUNNING_TIME_ZONE: 'America/Los_Angeles',
      },
    );

  it('imports a few dozen customers into an empty store, and nothing the second time', async () => {
    // Prepare
    const now = new Date('2026-04-01T15:00:00Z');
    const first = await context();
    const second = await context();

    // Act
    const seeded = await seedDemoPortfolio(first, { now });
    const again = await seedDemoPortfolio(second, { now });
    first.close();
    second.close();

    // Assess
    expect(seeded).toContain('Imported demo portfolio: 84 rows');
    expect(seeded).toContain('invoices:  84 new, 0 updated, 0 unchanged');
    expect(seeded).toContain('customers: 36 new');
    expect(again).toContain('invoices:  0 new, 0 updated, 84 unchanged');
    const reader = new LedgerReader(store.documentClient, store.tableName);
    const invoice = await reader.getInvoice('DEMO-000001');
    expect(invoice?.paymentUrl).toBe('https://pay.example.com/invoices/DEMO-000001');
    expect((await reader.getCustomer('DEMO-C0001'))?.timeZone).toBe('America/Los_Angeles');
  });
});
