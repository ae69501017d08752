import type { Customer, Invoice } from '../../domain/model.ts';
import { customerIndexKeys, customerKey, dueIndexKeys, invoiceKey } from './keys.ts';

/**
 * How invoices and customers sit in the Ledger table. The item is the model plus its keys; the due
 * index attributes are present only while the invoice has a next action (sparse index).
 */
export type Item = Record<string, unknown>;

// Object.assign, not `{ ...keys, type, ...record }`: built for every row an import writes (see
// domain/import/records.ts for why a spread that opens a literal costs memory there).
export const invoiceToItem = (invoice: Invoice): Item => {
  const keys: Item = invoiceKey(invoice.invoiceId);
  const item = Object.assign(
    keys,
    customerIndexKeys(invoice.customerId, invoice.invoiceId),
    { type: 'invoice' },
    invoice,
  );
  if (invoice.nextActionAt)
    Object.assign(item, dueIndexKeys(invoice.invoiceId, new Date(invoice.nextActionAt)));
  return item;
};

const INVOICE_FIELDS = [
  'invoiceId',
  'invoiceNumber',
  'customerId',
  'currency',
  'amountDue',
  'amountPaid',
  'amountReceived',
  'feesCharged',
  'issueDate',
  'dueDate',
  'paymentUrl',
  'status',
  'stage',
  'nextActionAt',
  'claims',
  'appliedEventIds',
  'settlements',
  'receivedBase',
  'flags',
  'charges',
  'version',
  'answer',
  'lastFailedAt',
] as const satisfies readonly (keyof Invoice)[];

const pick = <T>(item: Item, fields: readonly string[]): T =>
  Object.fromEntries(
    fields.filter((field) => item[field] !== undefined).map((field) => [field, item[field]]),
  ) as T;

export const itemToInvoice = (item: Item): Invoice => {
  const invoice = pick<Invoice>(item, INVOICE_FIELDS);
  return {
    ...invoice,
    amountReceived: invoice.amountReceived ?? 0,
    feesCharged: invoice.feesCharged ?? 0,
    claims: invoice.claims ?? {},
    appliedEventIds: invoice.appliedEventIds ?? [],
    flags: invoice.flags ?? [],
    version: invoice.version ?? 0,
  };
};

export const customerToItem = (customer: Customer): Item => {
  const keys: Item = customerKey(customer.customerId);
  return Object.assign(keys, { type: 'customer' }, customer);
};

const CUSTOMER_FIELDS = [
  'customerId',
  'name',
  'email',
  'locale',
  'timeZone',
  'address',
  'customerType',
  'phone',
  'country',
  'status',
  'pausedUntil',
  'pauseReason',
  'lastReminderAt',
] as const satisfies readonly (keyof Customer)[];

export const itemToCustomer = (item: Item): Customer => {
  const customer = pick<Customer>(item, CUSTOMER_FIELDS);
  return { ...customer, status: customer.status ?? 'active' };
};
