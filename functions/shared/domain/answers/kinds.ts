/**
 * What a customer can answer from the link in a reminder, and what becomes of each answer. The names
 * are the `action` values of `POST /respond` and the `kind` of `dunning show --json` `responses`.
 */
export const ANSWER_KINDS = ['paid', 'promise', 'dispute', 'plan'] as const;
export type AnswerKind = (typeof ANSWER_KINDS)[number];

export const isAnswerKind = (text: string): text is AnswerKind =>
  (ANSWER_KINDS as readonly string[]).includes(text);

/**
 * `held`: reminders wait (a promise or payment claim within its days, a plan request until an
 * operator acts, a dispute until undisputed). `kept`/`broken` end a promise, `matched`/`unmatched` a
 * payment claim; `superseded`: a later answer replaced it; `resolved`: an operator acted on it.
 */
export const ANSWER_STATUSES = [
  'held',
  'kept',
  'broken',
  'matched',
  'unmatched',
  'superseded',
  'resolved',
] as const;
export type AnswerStatus = (typeof ANSWER_STATUSES)[number];

/** Statuses the report lists as open: reminders wait on them, or a person should look. */
export const OPEN_STATUSES: readonly AnswerStatus[] = ['held', 'broken', 'unmatched'];

/** The run's skip reason while an answer holds an invoice; a dispute holds through its flag. */
export const HOLD_REASONS = {
  promise: 'promised',
  paid: 'paid_claimed',
  plan: 'plan_requested',
  dispute: 'disputed',
} as const satisfies Record<AnswerKind, string>;

/**
 * The answer an invoice carries (the latest one that named it): enough for the run to hold it and
 * for the next reminder to refer to it, without reading the customer's answer records.
 */
export interface InvoiceAnswer {
  readonly answerId: string;
  readonly kind: AnswerKind;
  /** When the customer answered (ISO instant). */
  readonly at: string;
  readonly status: AnswerStatus;
  /** Last day (inclusive, customer's calendar) a promise or payment claim holds the invoice. */
  readonly heldThrough?: string;
  /** "I will pay by" date. */
  readonly promisedFor?: string;
  /** "I have paid" date, when the customer named one. */
  readonly paidOn?: string;
  readonly reference?: string;
  /** When the run found the hold over (broken, unmatched). */
  readonly settledAt?: string;
}

/** One answer as the customer gave it: the record `dunning show` lists. */
export interface AnswerRecord {
  readonly answerId: string;
  readonly customerId: string;
  readonly kind: AnswerKind;
  readonly at: string;
  readonly invoiceIds: readonly string[];
  readonly promisedFor?: string;
  readonly paidOn?: string;
  readonly reference?: string;
  readonly message?: string;
  readonly heldThrough?: string;
  /** The link it came through (a prefix of its signature), for the per-link limit. */
  readonly linkId: string;
  /** The answer that replaced this one, when one did. */
  readonly supersededBy?: string;
}
