import { localDate } from '../calendar.ts';
import type { Customer, Invoice } from '../model.ts';
import type { AnswerRecord, AnswerStatus } from './kinds.ts';
import { answerStatusOn } from './rules.ts';

/**
 * The `responses` of `dunning show --json`: each answer naming the invoice, oldest first, with where
 * it stands now. The invoice's current answer is judged on the clock; an earlier one was replaced
 * (`superseded`) or had ended before the next came (`resolved`).
 */
export const responsesOf = (
  records: readonly AnswerRecord[],
  invoice: Invoice,
  customer: Pick<Customer, 'timeZone'> | undefined,
  now: Date,
) => {
  const today = localDate(now, customer?.timeZone ?? 'UTC');
  const statusOf = (record: AnswerRecord): AnswerStatus => {
    if (invoice.answer?.answerId === record.answerId) return answerStatusOn(invoice.answer, invoice, today);
    return record.supersededBy ? 'superseded' : 'resolved';
  };
  return [...records]
    .sort((a, b) => a.at.localeCompare(b.at))
    .map((record) => ({
      kind: record.kind,
      at: record.at,
      status: statusOf(record),
      invoiceIds: [...record.invoiceIds],
      promisedFor: record.promisedFor ?? null,
      reference: record.reference ?? null,
      message: record.message ?? null,
      paidOn: record.paidOn ?? null,
      heldThrough: record.heldThrough ?? null,
    }));
};
