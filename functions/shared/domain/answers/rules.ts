import { addDays, isIsoDate } from '../calendar.ts';
import { type Invoice, outstanding } from '../model.ts';
import type { AnswerPolicy } from '../policy.ts';
import {
  type AnswerKind,
  type AnswerStatus,
  HOLD_REASONS,
  type InvoiceAnswer,
  isAnswerKind,
} from './kinds.ts';

/** The fields of `POST /respond` besides the token, as the form sent them. */
export interface AnswerForm {
  readonly action?: string;
  readonly invoice?: string;
  readonly date?: string;
  readonly reference?: string;
  readonly message?: string;
}

/** What the customer chose, validated: which invoices of their link, and the answer's own facts. */
export interface AnswerChoice {
  readonly kind: AnswerKind;
  /** The one invoice named, or every invoice of the link. */
  readonly invoiceIds: readonly string[];
  readonly promisedFor?: string;
  readonly paidOn?: string;
  readonly reference?: string;
  readonly message?: string;
}

export type FormField = 'action' | 'invoice' | 'date' | 'reference' | 'message';
export type FormProblemCode =
  | 'required'
  | 'unknown'
  | 'not_a_date'
  | 'too_early'
  | 'too_late'
  | 'in_future'
  | 'too_long';

/** A refused form: the field and why, which the page words in the customer's language. */
export interface FormProblem {
  readonly field: FormField;
  readonly problem: FormProblemCode;
  /** The bound the value missed: a date, or a length. */
  readonly limit?: string;
}

export type ParsedAnswer =
  | { readonly ok: true; readonly choice: AnswerChoice }
  | { readonly ok: false; readonly problem: FormProblem };

export const MAX_REFERENCE_LENGTH = 200;
export const MAX_MESSAGE_LENGTH = 2000;

const refuse = (field: FormField, problem: FormProblemCode, limit?: string | number): ParsedAnswer => ({
  ok: false,
  problem: { field, problem, ...(limit !== undefined ? { limit: String(limit) } : {}) },
});

/** One line, trimmed; empty is absent. */
const line = (text: string | undefined): string | undefined => {
  const cleaned = text?.replace(/[\p{Cc}\s]+/gu, ' ').trim();
  return cleaned || undefined;
};

/** Keeps the customer's paragraphs, drops other control characters. */
const paragraphs = (text: string | undefined): string | undefined => {
  const cleaned = text
    ?.replace(/\r\n?/g, '\n')
    .replace(/[^\P{Cc}\n]+/gu, ' ')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return cleaned || undefined;
};

/**
 * Validates a form against its link and the customer's today: the date of a promise from tomorrow
 * to the policy's maximum, a payment date not in the future, a dispute with its reason.
 */
export const parseAnswerForm = (
  form: AnswerForm,
  linkInvoiceIds: readonly string[],
  today: string,
  policy: AnswerPolicy,
): ParsedAnswer => {
  const action = line(form.action);
  if (!action) return refuse('action', 'required');
  if (!isAnswerKind(action)) return refuse('action', 'unknown');
  const invoice = line(form.invoice);
  if (invoice && !linkInvoiceIds.includes(invoice)) return refuse('invoice', 'unknown');
  const invoiceIds = invoice ? [invoice] : [...linkInvoiceIds];
  const date = line(form.date);
  if (date && !isIsoDate(date)) return refuse('date', 'not_a_date');
  const reference = line(form.reference);
  if (reference && reference.length > MAX_REFERENCE_LENGTH)
    return refuse('reference', 'too_long', MAX_REFERENCE_LENGTH);
  const message = paragraphs(form.message);
  if (message && message.length > MAX_MESSAGE_LENGTH)
    return refuse('message', 'too_long', MAX_MESSAGE_LENGTH);

  switch (action) {
    case 'promise': {
      if (!date) return refuse('date', 'required');
      const earliest = addDays(today, 1);
      const latest = addDays(today, policy.maxPromiseDays);
      if (date < earliest) return refuse('date', 'too_early', earliest);
      if (date > latest) return refuse('date', 'too_late', latest);
      return { ok: true, choice: { kind: action, invoiceIds, promisedFor: date } };
    }
    case 'paid':
      if (date && date > today) return refuse('date', 'in_future', today);
      return {
        ok: true,
        choice: {
          kind: action,
          invoiceIds,
          ...(date ? { paidOn: date } : {}),
          ...(reference ? { reference } : {}),
        },
      };
    case 'dispute':
      if (!message) return refuse('message', 'required');
      return { ok: true, choice: { kind: action, invoiceIds, message } };
    case 'plan':
      return { ok: true, choice: { kind: action, invoiceIds, ...(message ? { message } : {}) } };
  }
};

/**
 * The last day (inclusive, customer's calendar) an answer holds reminders: a promise until its date
 * plus the grace, a payment claim for the grace days from today. A plan request or a dispute holds
 * until an operator acts, with no date.
 */
export const heldThrough = (
  choice: AnswerChoice,
  today: string,
  policy: AnswerPolicy,
): string | undefined => {
  if (choice.kind === 'promise' && choice.promisedFor)
    return addDays(choice.promisedFor, policy.promiseGraceDays);
  if (choice.kind === 'paid') return addDays(today, policy.paidGraceDays);
  return undefined;
};

const isSettled = (invoice: Pick<Invoice, 'status'> & Parameters<typeof outstanding>[0]): boolean =>
  invoice.status === 'paid' || outstanding(invoice) === 0;

/**
 * Where an invoice's answer stands on `today` (customer's calendar). A recorded final status stays;
 * a held promise is `kept` once the invoice is paid in full and `broken` once its days are over
 * unpaid; a payment claim is `matched` or `unmatched` the same way; a dispute is `resolved` once the
 * invoice no longer carries its flag. The run writes `broken`/`unmatched` when it finds them, so the
 * clock alone decides while no run has looked yet.
 */
export const answerStatusOn = (
  answer: InvoiceAnswer,
  invoice: Pick<Invoice, 'status' | 'flags'> & Parameters<typeof outstanding>[0],
  today: string,
): AnswerStatus => {
  if (answer.status !== 'held') return answer.status;
  const paid = isSettled(invoice);
  switch (answer.kind) {
    case 'promise':
      if (paid) return 'kept';
      return answer.heldThrough !== undefined && today > answer.heldThrough ? 'broken' : 'held';
    case 'paid':
      if (paid) return 'matched';
      return answer.heldThrough !== undefined && today > answer.heldThrough ? 'unmatched' : 'held';
    case 'dispute':
      return invoice.flags.includes('disputed') ? 'held' : 'resolved';
    case 'plan':
      return paid ? 'resolved' : 'held';
  }
};

/** The skip reason while the invoice's answer holds it; none for a dispute (its flag holds it). */
export const answerHold = (invoice: Invoice, today: string): string | undefined => {
  const { answer } = invoice;
  if (!answer || answer.kind === 'dispute') return undefined;
  return answerStatusOn(answer, invoice, today) === 'held' ? HOLD_REASONS[answer.kind] : undefined;
};

/** What the run does when an answer's days are over unpaid: record it, and maybe hand the invoice off. */
export interface Lapse {
  readonly status: 'broken' | 'unmatched';
  readonly handOff: boolean;
}

export const answerLapse = (invoice: Invoice, today: string, policy: AnswerPolicy): Lapse | undefined => {
  const { answer } = invoice;
  if (answer?.status !== 'held') return undefined;
  const status = answerStatusOn(answer, invoice, today);
  if (status === 'broken') return { status, handOff: policy.brokenPromiseHandsOff };
  if (status === 'unmatched') return { status, handOff: false };
  return undefined;
};

/**
 * The invoice as the run's write of a lapse leaves it (adapters/dynamodb/answer-store.ts `settle`),
 * for a dry run or preview that plans and renders what the run would, writing nothing.
 */
export const settledInPlace = (invoice: Invoice, lapse: Lapse, at: string): Invoice => {
  if (!invoice.answer) return invoice;
  const answer = { ...invoice.answer, status: lapse.status, settledAt: at };
  if (!lapse.handOff) return { ...invoice, answer, version: invoice.version + 1 };
  const { nextActionAt: _next, ...kept } = invoice;
  return { ...kept, answer, status: 'handed_off', version: invoice.version + 1 };
};

/** A new answer replaces the invoice's current one; only one still open becomes `superseded`. */
export const supersedes = (
  previous: InvoiceAnswer | undefined,
  invoice: Parameters<typeof answerStatusOn>[1],
  today: string,
): boolean => {
  if (!previous) return false;
  const status = answerStatusOn(previous, invoice, today);
  return status === 'held' || status === 'broken' || status === 'unmatched';
};

/** What the next reminder says about an answer that did not hold: the promise, or the payment not seen. */
export type AnswerNote =
  | { readonly kind: 'broken_promise'; readonly promisedFor: string; readonly at: string }
  | {
      readonly kind: 'unmatched_payment';
      readonly paidOn?: string;
      readonly reference?: string;
      readonly at: string;
    };

export const answerNote = (invoice: Pick<Invoice, 'answer'>): AnswerNote | undefined => {
  const { answer } = invoice;
  if (answer?.status === 'broken' && answer.promisedFor)
    return { kind: 'broken_promise', promisedFor: answer.promisedFor, at: answer.at };
  if (answer?.status === 'unmatched')
    return {
      kind: 'unmatched_payment',
      at: answer.at,
      ...(answer.paidOn ? { paidOn: answer.paidOn } : {}),
      ...(answer.reference ? { reference: answer.reference } : {}),
    };
  return undefined;
};
