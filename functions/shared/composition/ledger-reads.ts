import { DynamoAnswerLedger } from '../adapters/dynamodb/answer-store.ts';
import { DynamoChargeLedger } from '../adapters/dynamodb/charge-ledger.ts';
import { DynamoReportReads } from '../adapters/dynamodb/report-reads.ts';
import { readInvoiceAudit } from '../adapters/dynamodb/run-audit.ts';
import { DynamoRunJournal } from '../adapters/dynamodb/run-journal.ts';
import {
  type InvoiceListing,
  listCustomers,
  listInvoices,
  type PageRequest,
} from '../adapters/dynamodb/store-listing.ts';
import type { Customer } from '../domain/model.ts';
import type { Composition } from './root.ts';

/** The report's reads (`dunning report`), in the zone its ages are counted in. */
export const buildReportReads = (app: Composition, zone: string) =>
  new DynamoReportReads(app.documentClient, app.tableName, zone);

/** The runs' journal (`dunning runs`). */
export const buildRunJournal = (app: Composition) =>
  new DynamoRunJournal(app.documentClient, app.tableName, app.clock);

/** Fees and interest charged to invoices, and their waivers (`dunning waive`). */
export const buildChargeLedger = (app: Composition) =>
  new DynamoChargeLedger(app.documentClient, app.tableName);

/** Customers' answers from the reminders' links (the plan requests an operator settles). */
export const buildAnswerLedger = (app: Composition) =>
  new DynamoAnswerLedger(app.documentClient, app.tableName, app.clock);

/** One invoice's partition and its customer, read consistently (`dunning show`, `dunning interest`). */
export const buildInvoiceAudit = (app: Composition) => (invoiceId: string) =>
  readInvoiceAudit(app.documentClient, app.tableName, invoiceId, app.clock());

/** The store's invoices and customers, a page at a time (`dunning invoices`, `dunning customers`). */
export const buildStoreListing = (app: Composition) => ({
  invoices: <T>(listing: InvoiceListing<T>) => listInvoices(app.documentClient, app.tableName, listing),
  customers: <T>(request: PageRequest, toLine: (customer: Customer) => T) =>
    listCustomers(app.documentClient, app.tableName, request, toLine),
});
