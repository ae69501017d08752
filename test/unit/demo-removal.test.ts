import { describe, expect, it } from 'vitest';
import { DEMO_IMPORT_LABEL, demoIdentity } from '../../cli/demo/portfolio.ts';
import { type DemoPortfolioStore, demoRecords, removeDemoPortfolio } from '../../cli/demo/removal.ts';

const seeded = {
  customers: new Map([
    ['DEMO-C1', 'c1@demo.example'],
    ['DEMO-C2', 'c2@demo.example'],
  ]),
  invoices: new Map([
    ['DEMO-1', 'DEMO-C1'],
    ['DEMO-2', 'DEMO-C2'],
    ['DEMO-3', 'DEMO-C1'],
  ]),
};

describe('which stored records are the demo portfolio', () => {
  it('takes a customer only with the address the seed gave it, and only its invoices as seeded', () => {
    // Prepare: DEMO-C2 now carries the user's own address; DEMO-3 is billed to the user's customer.
    const stored = {
      customerEmails: new Map([
        ['DEMO-C1', 'c1@demo.example'],
        ['DEMO-C2', 'ap@acme.example'],
      ]),
      invoiceCustomers: new Map([
        ['DEMO-1', 'DEMO-C1'],
        ['DEMO-2', 'DEMO-C2'],
        ['DEMO-3', 'ACME'],
      ]),
    };

    // Act
    const records = demoRecords(seeded, stored);

    // Assess
    expect(records).toEqual({
      customers: [{ customerId: 'DEMO-C1', email: 'c1@demo.example' }],
      invoiceIds: ['DEMO-1'],
    });
  });

  it('finds nothing in a store without the demo', () => {
    expect(demoRecords(seeded, { customerEmails: new Map(), invoiceCustomers: new Map() })).toEqual({
      customers: [],
      invoiceIds: [],
    });
  });
});

describe('removing the demo portfolio', () => {
  it('deletes the invoices before their customers, then the demo imports, and counts every item', async () => {
    // Prepare: a store that holds the whole seed and notes the order of the deletes.
    const seed = demoIdentity();
    const calls: string[] = [];
    const store: DemoPortfolioStore = {
      read: async () => ({
        customerEmails: new Map(seed.customers),
        invoiceCustomers: new Map(seed.invoices),
      }),
      deleteInvoices: async (ids) => {
        calls.push(`invoices:${ids.length}`);
        return ids.length * 2;
      },
      deleteCustomers: async (customers) => {
        calls.push(`customers:${customers.length}`);
        return customers.length * 3;
      },
      deleteImports: async (label) => {
        calls.push(`imports:${label}`);
        return 1;
      },
    };

    // Act
    const removed = await removeDemoPortfolio(store);

    // Assess
    expect(calls.map((call) => call.split(':')[0])).toEqual(['invoices', 'customers', 'imports']);
    expect(calls[2]).toBe(`imports:${DEMO_IMPORT_LABEL}`);
    expect(removed).toEqual({
      invoices: seed.invoices.size,
      customers: seed.customers.size,
      records: seed.invoices.size * 2 + seed.customers.size * 3 + 1,
    });
  });
});
