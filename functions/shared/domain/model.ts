import type { InvoiceAnswer } from './answers/kinds.ts';
import type { Settlement } from './payments/settlements.ts';

/**
 * The receivables vocabulary every part of the product shares. Amounts are integers in the
 * currency's minor unit; dates are ISO dates (YYYY-MM-DD); instants are ISO 8601 strings.
 */

export type CustomerStatus = 'active' | 'opted_out' | 'bounced' | 'disputed';

export interface Customer {
  readonly customerId: string;
  readonly name: string;
  readonly email: string;
  /** BCP 47 tag; picks the template language and money/date formats. */
  readonly locale: string;
  /** IANA zone; reminders go out in this zone's business hours. */
  readonly timeZone: string;
  readonly address?: string;
  /** Absent means `business`; statutory late-payment interest is never claimed from a consumer. */
  readonly customerType?: 'business' | 'consumer';
  /** International notation, `+44 20 7946 0958` (E.164 once the spaces are dropped). */
  readonly phone?: string;
  /** ISO 3166-1 alpha-2; picks the public holidays no reminder goes out on. */
  readonly country?: string;
  readonly status: CustomerStatus;
  /** Reminders are held until this ISO date (exclusive) when set. */
  readonly pausedUntil?: string;
  readonly pauseReason?: string;
  /** The last instant a reminder email went to this customer; enforces the policy's minimum gap. */
  readonly lastReminderAt?: string;
}

export type InvoiceStatus = 'open' | 'paid' | 'handed_off';

/** The outcome of one stage's reminder for one invoice: claimed before sending, sent after. */
export type ReminderStatus = 'claimed' | 'sent' | 'failed' | 'unknown';

export interface StageClaim {
  readonly stage: string;
  readonly status: ReminderStatus;
  readonly claimedAt: string;
  readonly runId: string;
  readonly sentAt?: string;
  readonly messageId?: string;
  /** Late fee added by this stage, minor units of the invoice currency. */
  readonly fee?: number;
  /** Statutory interest (to `asOf`) and compensation this stage's reminder claimed. */
  readonly latePayment?: {
    readonly interest: number;
    readonly compensation: number;
    readonly law: string;
    readonly asOf: string;
  };
}

/** What a ledger entry charges on top of the invoice: a stage's late fee, statutory interest, compensation. */
export type ChargeKind = 'fee' | 'interest' | 'compensation';

/** Who gave up a charge, when and why; a waived charge is never claimed again. */
export interface Waiver {
  readonly at: string;
  readonly by: string;
  readonly reason: string;
}

/**
 * One ledger entry. Charges never change the invoice's own amount: fees add to `feesCharged` while
 * not waived; interest and compensation are claimed beside what is outstanding.
 */
export interface Charge {
  readonly kind: ChargeKind;
  /** Minor units of the invoice currency; for interest, the amount to `asOf` when last claimed. */
  readonly amount: number;
  /** The stage whose reminder charged it (for a fee, the stage it belongs to). */
  readonly stage?: string;
  readonly chargedAt: string;
  /** Interest: the customer's calendar day the amount runs to. */
  readonly asOf?: string;
  /** Interest and compensation: the law they are claimed under. */
  readonly law?: string;
  readonly waived?: Waiver;
}

/** Ledger keys: `fee:<stage>`, `interest`, `compensation`. */
export const feeChargeKey = (stage: string) => `fee:${stage}`;

export interface Invoice {
  readonly invoiceId: string;
  readonly invoiceNumber: string;
  readonly customerId: string;
  /** ISO 4217 code. */
  readonly currency: string;
  /** Total of the invoice as imported, minor units. */
  readonly amountDue: number;
  /** Paid before import, as the finance team's file says, minor units. */
  readonly amountPaid: number;
  /** Net of payments and refunds recorded through webhooks, minor units. */
  readonly amountReceived: number;
  /** Late fees added by stages, minor units. */
  readonly feesCharged: number;
  readonly issueDate?: string;
  readonly dueDate: string;
  readonly paymentUrl?: string;
  readonly status: InvoiceStatus;
  /** Name of the highest stage whose reminder was claimed, if any. */
  readonly stage?: string;
  /** When the next dunning action falls due; absent when none (paid, handed off, flagged). */
  readonly nextActionAt?: string;
  /** One claim per stage; the conditional write on this map is what makes a reminder at-most-once. */
  readonly claims: Readonly<Record<string, StageClaim>>;
  /** The latest provider event ids recorded on the invoice (bounded; see domain/payments/apply.ts). */
  readonly appliedEventIds: readonly string[];
  /** The money payments brought, one entry per underlying payment (domain/payments/settlements.ts). */
  readonly settlements?: Readonly<Record<string, Settlement>>;
  /** What payments had brought before `settlements` were kept; `amountReceived` is this plus their net. */
  readonly receivedBase?: number;
  /** Conditions that hold reminders until an operator acts, e.g. `currency_mismatch`. */
  readonly flags: readonly string[];
  /** The invoice's ledger of fees, interest and compensation, by key (see `Charge`). */
  readonly charges?: Readonly<Record<string, Charge>>;
  /** Increments on every write; writes are conditional on the version they read. */
  readonly version: number;
  /** The customer's latest answer from a reminder's link that named this invoice. */
  readonly answer?: InvoiceAnswer;
  /** When a run last failed to work this invoice's customer: a later run works them after the others. */
  readonly lastFailedAt?: string;
}

/** What the customer still owes on an invoice, never below zero. */
export const outstanding = (
  invoice: Pick<Invoice, 'amountDue' | 'amountPaid' | 'amountReceived' | 'feesCharged'>,
) => Math.max(0, invoice.amountDue + invoice.feesCharged - invoice.amountPaid - invoice.amountReceived);

/**
 * What is owed on the invoice itself, late fees aside: the base a percentage fee is taken on, so a
 * fee is never charged on an earlier fee. Payments count against the invoice first.
 */
export const invoiceBalance = (
  invoice: Pick<Invoice, 'amountDue' | 'amountPaid' | 'amountReceived'>,
): number => Math.max(0, invoice.amountDue - invoice.amountPaid - invoice.amountReceived);

export type PaymentKind = 'payment' | 'refund';

export interface Payment {
  /** The provider's event id (Stripe `event.id`, Standard Webhooks `webhook-id`). */
  readonly paymentId: string;
  readonly provider: 'stripe' | 'standard';
  readonly invoiceId: string;
  readonly amount: number;
  readonly currency: string;
  readonly occurredAt: string;
  readonly kind: PaymentKind;
  /** False when recorded but not applied (currency mismatch, the same money again, waiting for its payment). */
  readonly applied: boolean;
  /** Why it is not (or not wholly) applied, when it is not. */
  readonly reason?: string;
  /** The part that counts on the invoice, when less than `amount` (a refund beyond its payment). */
  readonly appliedAmount?: number;
  readonly flag?: string;
}

export interface Skip {
  readonly invoiceId: string;
  readonly at: string;
  readonly reason: string;
  readonly runId: string;
  /** Why, for a `failed` record: the error the run met working the customer. */
  readonly detail?: string;
}
