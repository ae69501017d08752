import { createHash } from 'node:crypto';
import { toStoredInstant } from '../calendar.ts';
import { type Customer, type Invoice, type InvoiceStatus, outstanding } from '../model.ts';
import type { Policy } from '../policy.ts';
import { nextActionAt } from '../schedule.ts';
import type { ImportRow } from './row-schema.ts';

/**
 * What an import says about one invoice and one customer, and how it lands on the records the rest
 * of the product keeps. The import owns only these fields; dunning state (claims, stage, payments,
 * fees, flags) is never touched by a re-import.
 */

/** The imported fields of an invoice, plus what its due-index instant depends on. */
export interface ImportedInvoice {
  readonly invoiceId: string;
  readonly invoiceNumber: string;
  readonly customerId: string;
  readonly currency: string;
  readonly amountDue: number;
  readonly amountPaid: number;
  readonly issueDate?: string;
  readonly dueDate: string;
  readonly paymentUrl: string;
  /** The customer's zone as the file finally says (newest row wins): it places the due-index instant. */
  readonly customerTimeZone: string;
  /** Digest of all of the above: equal digest means the import has nothing to change. */
  readonly importHash: string;
}

export interface ImportedCustomer {
  readonly customerId: string;
  readonly name: string;
  readonly email: string;
  readonly locale: string;
  readonly timeZone: string;
  readonly address?: string;
  /** Present only for a consumer: business is the default, and customers imported before it match. */
  readonly customerType?: 'consumer';
  readonly phone?: string;
  readonly country?: string;
  readonly importHash: string;
}

export type Change = 'new' | 'updated' | 'unchanged';

/*
 * Records here are built per row, three times an import (validation, comparison, apply), so they are
 * put together with Object.assign rather than `{ ...record, more }`: on Node 20's V8 a literal that
 * opens with a spread and adds to it makes a new hidden class each time, garbage that lands straight
 * in the old generation and was most of a large import's peak memory.
 */

/** A short, stable digest of plain data (128 bits of SHA-256, base64url). */
export const digest = (value: unknown): string =>
  createHash('sha256').update(JSON.stringify(value)).digest('base64url').slice(0, 22);

/** Identity of a whole row, to tell an identical duplicate from a conflicting one. */
export const rowDigest = (row: ImportRow): string =>
  digest(Object.entries(row).sort(([a], [b]) => (a < b ? -1 : 1)));

export const importedInvoice = (row: ImportRow, customerTimeZone: string): ImportedInvoice => {
  const fields = {
    invoiceId: row.invoiceId,
    invoiceNumber: row.invoiceNumber,
    customerId: row.customerId,
    currency: row.currency,
    amountDue: row.amountDue,
    amountPaid: row.amountPaid,
    ...(row.issueDate === undefined ? {} : { issueDate: row.issueDate }),
    dueDate: row.dueDate,
    paymentUrl: row.paymentUrl,
    customerTimeZone,
  };
  return Object.assign(fields, { importHash: digest(fields) });
};

export const importedCustomer = (row: ImportRow): ImportedCustomer => {
  const fields = {
    customerId: row.customerId,
    name: row.customerName,
    email: row.customerEmail,
    locale: row.locale,
    timeZone: row.timeZone,
    ...(row.address === undefined ? {} : { address: row.address }),
    ...(row.customerType === 'consumer' ? { customerType: 'consumer' as const } : {}),
    ...(row.phone === undefined ? {} : { phone: row.phone }),
    ...(row.country === undefined ? {} : { country: row.country }),
  };
  return Object.assign(fields, { importHash: digest(fields) });
};

/** New when the store has no such record, unchanged when it carries the same import digest. */
export const classify = (stored: { importHash?: unknown } | undefined, importHash: string): Change => {
  if (!stored) return 'new';
  return stored.importHash === importHash ? 'unchanged' : 'updated';
};

// A finance team's file may say an invoice is settled; one reopened by a higher amount is owed again.
const statusFor = (current: InvoiceStatus, invoice: Parameters<typeof outstanding>[0]): InvoiceStatus => {
  if (current === 'handed_off') return current;
  return outstanding(invoice) === 0 ? 'paid' : 'open';
};

const withNextAction = (
  invoice: Omit<Invoice, 'nextActionAt'>,
  timeZone: string,
  policy: Policy,
): Invoice => {
  const next = nextActionAt(invoice, timeZone, policy);
  return next ? Object.assign({}, invoice, { nextActionAt: toStoredInstant(next) }) : invoice;
};

const importedFields = (imported: ImportedInvoice) => ({
  invoiceId: imported.invoiceId,
  invoiceNumber: imported.invoiceNumber,
  customerId: imported.customerId,
  currency: imported.currency,
  amountDue: imported.amountDue,
  amountPaid: imported.amountPaid,
  ...(imported.issueDate === undefined ? {} : { issueDate: imported.issueDate }),
  dueDate: imported.dueDate,
  paymentUrl: imported.paymentUrl,
});

/** A new invoice before its schedule is worked out: open (or paid, if the file says so), no dunning history. */
export const openedInvoice = (imported: ImportedInvoice): Omit<Invoice, 'nextActionAt'> => {
  const base = Object.assign(importedFields(imported), {
    amountReceived: 0,
    feesCharged: 0,
    claims: {},
    appliedEventIds: [],
    flags: [],
    version: 1,
  });
  return Object.assign(base, { status: statusFor('open', base) });
};

/** An invoice the store has never seen, with its first dunning action scheduled. */
export const newInvoice = (imported: ImportedInvoice, policy: Policy): Invoice =>
  withNextAction(openedInvoice(imported), imported.customerTimeZone, policy);

/**
 * The stored invoice with the file's fields laid over it: claims, stage, payments, fees and flags
 * stay; the next dunning action is recomputed, since a new due date or amount moves it.
 */
export const updatedInvoice = (stored: Invoice, imported: ImportedInvoice, policy: Policy): Invoice => {
  const { nextActionAt: _previous, issueDate: _issueDate, ...kept } = stored;
  const merged = Object.assign(kept, importedFields(imported), { version: stored.version + 1 });
  return withNextAction(
    Object.assign(merged, { status: statusFor(stored.status, merged) }),
    imported.customerTimeZone,
    policy,
  );
};

export const newCustomer = (imported: ImportedCustomer): Customer => {
  const { importHash: _hash, ...fields } = imported;
  return Object.assign(fields, { status: 'active' as const });
};
