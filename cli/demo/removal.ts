import { DEMO_IMPORT_LABEL, type DemoIdentity, demoIdentity } from './portfolio.ts';

export interface DemoRemoval {
  readonly customers: number;
  readonly invoices: number;
  /** Items deleted in their partitions: the records above and what was kept beside them (reminders, payments, skips...). */
  readonly records: number;
}

/** A demo customer as the seed wrote it: its id and the made-up address it was given. */
export interface DemoCustomer {
  readonly customerId: string;
  readonly email: string;
}

/** What the removal needs of the store; the DynamoDB adapter is `dynamodb-demo-store.ts`. */
export interface DemoPortfolioStore {
  /** The stored customers' addresses and invoices' customers among these ids; absent ids are left out. */
  read(
    customerIds: readonly string[],
    invoiceIds: readonly string[],
  ): Promise<{ customerEmails: Map<string, string>; invoiceCustomers: Map<string, string> }>;
  /** Deletes each invoice with everything kept beside it; resolves with the items deleted. */
  deleteInvoices(invoiceIds: readonly string[]): Promise<number>;
  /** Deletes each customer with its address lookup, deferrals and history; resolves with the items deleted. */
  deleteCustomers(customers: readonly DemoCustomer[]): Promise<number>;
  /** Deletes the import records carrying this label; resolves with the items deleted. */
  deleteImports(label: string): Promise<number>;
}

/**
 * The stored records that are the demo's. A record counts only when it is exactly what the seed
 * wrote: a demo customer id still carrying the demo's made-up address, a demo invoice id still billed
 * to such a customer. A user's own record that happens to reuse an id is left alone.
 */
export const demoRecords = (
  seeded: DemoIdentity,
  stored: { customerEmails: ReadonlyMap<string, string>; invoiceCustomers: ReadonlyMap<string, string> },
): { customers: DemoCustomer[]; invoiceIds: string[] } => {
  const customers = [...seeded.customers]
    .filter(([customerId, email]) => stored.customerEmails.get(customerId) === email)
    .map(([customerId, email]) => ({ customerId, email }));
  const demoCustomers = new Set(customers.map(({ customerId }) => customerId));
  const invoiceIds = [...seeded.invoices]
    .filter(
      ([invoiceId, customerId]) =>
        stored.invoiceCustomers.get(invoiceId) === customerId && demoCustomers.has(customerId),
    )
    .map(([invoiceId]) => invoiceId);
  return { customers, invoiceIds };
};

/** Deletes the demo portfolio and nothing else (`dunning demo --remove`). */
export const removeDemoPortfolio = async (store: DemoPortfolioStore): Promise<DemoRemoval> => {
  const seeded = demoIdentity();
  const stored = await store.read([...seeded.customers.keys()], [...seeded.invoices.keys()]);
  const { customers, invoiceIds } = demoRecords(seeded, stored);
  // Invoices first: an invoice never outlives its customer, whatever moment a removal is cut short.
  const invoiceRecords = await store.deleteInvoices(invoiceIds);
  const customerRecords = await store.deleteCustomers(customers);
  const importRecords = await store.deleteImports(DEMO_IMPORT_LABEL);
  return {
    customers: customers.length,
    invoices: invoiceIds.length,
    records: invoiceRecords + customerRecords + importRecords,
  };
};
