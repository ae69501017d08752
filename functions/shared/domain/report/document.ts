import type { AgingBucket } from './aging.ts';

/**
 * The `dunning report --json` document (docs/cli.md). The document fixes `asOf` and each
 * currency's `currency`, buckets, `outstanding`, `remindersSent` and `recovered`; the rest is added
 * for operators and may grow, never be renamed. Amounts are integers in the currency's minor unit,
 * and nothing is ever summed across currencies.
 */

export interface CurrencyAging extends Record<AgingBucket, number> {
  readonly currency: string;
  /** Sum of the buckets: what customers owe in this currency, fees included. */
  readonly outstanding: number;
  /** Invoice reminders sent in the period (one email may carry several). */
  readonly remindersSent: number;
  /** Payments less refunds applied in the period to invoices after their first reminder went out. */
  readonly recovered: number;
  /** Statutory interest claimed by reminders on open invoices (to the day last claimed), not waived. */
  readonly interestClaimed?: number;
  /** Fixed late-payment compensation claimed on open invoices, not waived. */
  readonly compensationClaimed?: number;
  readonly openInvoices: number;
  /** How many open invoices sit in each bucket. */
  readonly invoices: Record<AgingBucket, number>;
}

export interface HandOffLine {
  readonly invoiceId: string;
  readonly invoiceNumber: string;
  readonly customerId: string;
  readonly customerName: string | null;
  readonly customerEmail: string | null;
  readonly currency: string;
  readonly outstanding: number;
  readonly daysOverdue: number;
  readonly handedOffAt: string | null;
  readonly assignee: string | null;
}

export interface UnconfirmedSend {
  readonly invoiceId: string;
  readonly invoiceNumber: string;
  readonly customerId: string;
  readonly stage: string;
  readonly claimedAt: string;
  readonly runId: string;
}

export interface HeldCustomer {
  readonly customerId: string;
  readonly name: string;
  /** The customer's status, or `paused` while a pause runs. */
  readonly reason: string;
  readonly pausedUntil: string | null;
  readonly note: string | null;
  readonly outstanding: readonly { readonly currency: string; readonly amount: number }[];
}

export interface HeldInvoice {
  readonly invoiceId: string;
  readonly invoiceNumber: string;
  readonly customerId: string;
  readonly currency: string;
  readonly outstanding: number;
  /** Why the run skips it: `disputed`, `currency_mismatch`, ... */
  readonly flags: readonly string[];
}

/** Money received beyond what an invoice asks: to refund to the customer or apply elsewhere. */
export interface CreditLine {
  readonly invoiceId: string;
  readonly invoiceNumber: string;
  readonly customerId: string;
  readonly currency: string;
  readonly credit: number;
}

export interface FlaggedPayment {
  readonly invoiceId: string;
  readonly paymentId: string;
  readonly flag: string;
  readonly provider: string;
  readonly kind: string;
  readonly amount: number;
  readonly currency: string;
  /** The invoice's own currency, which the payment did not match when the flag is a currency mismatch. */
  readonly invoiceCurrency: string;
  readonly occurredAt: string;
}

export interface UnmatchedPaymentLine {
  readonly eventId: string;
  readonly invoiceId: string;
  readonly provider: string;
  readonly kind: string;
  readonly amount: number;
  readonly currency: string;
  readonly occurredAt: string;
  readonly receivedAt: string;
}

export interface AgingReport {
  /** The report's date in the deployment's zone. */
  readonly asOf: string;
  /** The instant aging is measured at (the end of the period). */
  readonly asOfInstant: string;
  readonly timeZone: string;
  readonly period: { readonly from: string; readonly to: string; readonly days: number };
  readonly currencies: readonly CurrencyAging[];
  /** Invoices the final stage handed to a person, still owed. */
  readonly handOffs: readonly HandOffLine[];
  /** Reminders whose send outcome nobody knows: never resent, an operator decides. */
  readonly unconfirmedSends: readonly UnconfirmedSend[];
  /** Customers with money owed who get no reminders: paused, disputed, opted out, bounced. */
  readonly heldCustomers: readonly HeldCustomer[];
  /** Open invoices a flag holds back from reminders until an operator acts (a dispute, a currency mismatch). */
  readonly heldInvoices: readonly HeldInvoice[];
  readonly flaggedPayments: readonly FlaggedPayment[];
  /** Overpaid invoices: the credit a person refunds or applies. */
  readonly credits: readonly CreditLine[];
  /** Webhook payments whose invoice is not in the store. */
  readonly unmatchedPayments: readonly UnmatchedPaymentLine[];
}
