import type { Customer, Invoice } from '../model.ts';
import type { AnswerRecord, InvoiceAnswer } from './kinds.ts';
import type { AnswerLink } from './link-token.ts';

/** The emails an answer sends: the customer's confirmation, and a note to the collections contact. */
export type AnswerMail = 'confirmation' | 'notice';

/**
 * What answering needs from the store: each step is one conditional write on one item (the link's
 * counter, the answer record, each invoice), so a crash between them leaves every item whole.
 */
export interface AnswerLedger {
  readCustomer(customerId: string): Promise<Customer | undefined>;
  /** Consistent reads; ids without an item are left out. */
  readInvoices(invoiceIds: readonly string[]): Promise<Invoice[]>;
  /** The customer's latest answers, newest first. */
  answersOf(customerId: string, limit: number): Promise<AnswerRecord[]>;
  /** Counts one answer against the link; false once it has had `max`. */
  countAnswer(link: AnswerLink, max: number): Promise<boolean>;
  /** Gives back one count (never below zero): the answer it was taken for was not recorded. */
  uncountAnswer(link: AnswerLink): Promise<void>;
  recordAnswer(record: AnswerRecord): Promise<void>;
  /**
   * Puts the answer on the invoice unless it changed since read or is no longer open; with `dueAt`
   * the invoice is also placed in the due index there, so the next run records the hold.
   */
  holdInvoice(invoice: Invoice, answer: InvoiceAnswer, dueAt?: Date): Promise<boolean>;
  /** Marks an earlier answer as replaced by `by` (idempotent). */
  markSuperseded(
    customerId: string,
    previous: Pick<InvoiceAnswer, 'answerId' | 'at'>,
    by: string,
  ): Promise<void>;
  /** Takes the right to send one of the answer's emails; false when it was taken before (at most once). */
  claimMail(record: AnswerRecord, mail: AnswerMail): Promise<boolean>;
  recordMail(record: AnswerRecord, mail: AnswerMail, outcome: MailOutcome): Promise<void>;
}

export type MailOutcome =
  | { readonly status: 'sent'; readonly messageId: string }
  | { readonly status: 'failed'; readonly reason: string };

/** The run's step for an answer whose days are over unpaid (adapters/dynamodb/answer-store.ts). */
export interface AnswerSettlement {
  /**
   * Records `broken`/`unmatched` on the invoice's answer (unless the invoice changed since read), and
   * hands the invoice off when asked; the invoice as it now stands, or undefined when it changed.
   */
  settle(
    invoice: Invoice,
    status: 'broken' | 'unmatched',
    at: string,
    handOff?: { readonly assignee: string; readonly runId: string },
  ): Promise<Invoice | undefined>;
}
