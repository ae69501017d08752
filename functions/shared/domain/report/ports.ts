import type { Customer, Invoice, Payment } from '../model.ts';
import type { PaymentEvent } from '../payments/event.ts';
import type { CallTask } from '../run/ports.ts';

/** An invoice item as the report reads it: the model plus what the run wrote beside it. */
export type ReportInvoice = Invoice & { readonly callTask?: CallTask };

export type UnmatchedPayment = PaymentEvent & { readonly receivedAt: string };

/** What the report needs from the store; `adapters/dynamodb/report-reads.ts` implements it. */
export interface ReportReader {
  /** Every invoice, paid or not, page by page; pages may be delivered concurrently. */
  forEachInvoicePage(onPage: (invoices: readonly ReportInvoice[]) => Promise<void>): Promise<void>;
  /** Customers by id; ids without an item are left out. */
  customers(customerIds: readonly string[]): Promise<ReadonlyMap<string, Customer>>;
  /** Each invoice's payment records, `applied` taken from the invoice as `dunning show` does. */
  payments(
    invoices: readonly Pick<Invoice, 'invoiceId' | 'appliedEventIds' | 'settlements'>[],
  ): Promise<ReadonlyMap<string, readonly Payment[]>>;
  unmatchedPayments(): Promise<readonly UnmatchedPayment[]>;
}
