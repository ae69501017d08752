import { addDays, startOfLocalDay } from './calendar.ts';
import { type Invoice, outstanding } from './model.ts';
import type { Policy, Stage } from './policy.ts';

/** The calendar date a stage falls due for an invoice. */
export const stageDate = (invoice: Pick<Invoice, 'dueDate'>, stage: Stage): string =>
  addDays(invoice.dueDate, stage.offsetDays);

/** The first stage of the policy this invoice has not had a reminder claimed for. */
export const nextUnclaimedStage = (invoice: Pick<Invoice, 'claims'>, policy: Policy): Stage | undefined => {
  const claimed = policy.stages.findLastIndex((stage) => invoice.claims[stage.name] !== undefined);
  return policy.stages[claimed + 1];
};

/**
 * When the invoice's next dunning action falls due: the start, in the customer's zone, of the day
 * its next unclaimed stage comes due. None when nothing more is owed, the invoice has left dunning
 * (paid, handed off) or a flag holds it for an operator; such invoices leave the due index.
 */
export const nextActionAt = (
  invoice: Pick<
    Invoice,
    'dueDate' | 'claims' | 'status' | 'flags' | 'amountDue' | 'amountPaid' | 'amountReceived' | 'feesCharged'
  >,
  customerTimeZone: string,
  policy: Policy,
): Date | undefined => {
  if (invoice.status !== 'open' || invoice.flags.length > 0 || outstanding(invoice) === 0) return undefined;
  const stage = nextUnclaimedStage(invoice, policy);
  if (!stage) return undefined;
  return startOfLocalDay(stageDate(invoice, stage), customerTimeZone);
};
