import type { LatePaymentClaim } from '../interest/claim.ts';
import type { Customer, Invoice } from '../model.ts';
import type { Policy, Stage } from '../policy.ts';

/**
 * What one reminder email says: the customer, and every invoice of theirs that a stage has come due
 * for in this run. The run decides the lines; rendering turns them into subject, HTML and text.
 */
export interface ReminderLine {
  readonly invoice: Invoice;
  readonly stage: Stage;
  /** Counted in the customer's zone. */
  readonly daysOverdue: number;
  /** Late fee this stage adds now, minor units (0 when none). */
  readonly fee: number;
  /** What is owed after the fee, minor units. */
  readonly outstanding: number;
  readonly paymentUrl: string;
  /** Statutory interest and compensation this reminder states, where the policy claims them. */
  readonly latePayment?: LatePaymentClaim;
}

export interface ReminderInput {
  readonly customer: Customer;
  readonly lines: readonly ReminderLine[];
  readonly policy: Policy;
  readonly now: Date;
  /** One-click opt-out link (List-Unsubscribe and the footer). */
  readonly unsubscribeUrl: string;
  /** The customer's answer page for this email's invoices ("I have paid", "I will pay by", ...). */
  readonly respondUrl?: string;
}

export interface RenderedReminder {
  readonly subject: string;
  readonly html: string;
  readonly text: string;
  /** The template language actually used (customer locale's language, or `en`). */
  readonly language: string;
}

/** Templates by language and name, e.g. `en` / `reminder.html`; loaded by an adapter. */
export interface TemplateSource {
  get(language: string, name: string): string | undefined;
  languages(): readonly string[];
}

/** One invoice handed to a person by the final stage, as the collections contact's digest lists it. */
export interface HandOff {
  readonly invoice: Invoice;
  readonly customer: Customer;
  /** Owed after the final stage's fee, minor units of the invoice currency. */
  readonly outstanding: number;
  /** Counted in the customer's zone. */
  readonly daysOverdue: number;
}

/** The collections contact's daily email: every hand-off of one run day. */
export interface HandOffDigestInput {
  readonly handOffs: readonly HandOff[];
  readonly policy: Policy;
  /** The run's day, ISO date in the deployment's zone. */
  readonly date: string;
  /** The collections contact's locale for money, dates and language; default `en-US`. */
  readonly locale?: string;
}
