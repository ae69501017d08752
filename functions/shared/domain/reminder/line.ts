import { daysOverdue, localDate } from '../calendar.ts';
import { stageFee } from '../fees.ts';
import type { LatePaymentClaim } from '../interest/claim.ts';
import { type Customer, type Invoice, invoiceBalance, outstanding } from '../model.ts';
import type { Policy, Stage } from '../policy.ts';
import { stageDate } from '../schedule.ts';
import type { ReminderLine } from './types.ts';

/**
 * The highest stage whose date (due date + offset) has been reached today in the customer's zone; the
 * first stage when none has. An invoice that enters dunning late goes straight to the stage its age
 * has reached.
 */
export const reachedStage = (
  invoice: Pick<Invoice, 'dueDate'>,
  timeZone: string,
  policy: Policy,
  now: Date,
): Stage => {
  const today = localDate(now, timeZone);
  const reached = policy.stages.findLast((stage) => stageDate(invoice, stage) <= today);
  return reached ?? (policy.stages[0] as Stage);
};

/** The invoice's own payment link, else the deployment's template with the invoice id filled in. */
export const paymentUrlFor = (invoice: Pick<Invoice, 'invoiceId' | 'paymentUrl'>, template: string): string =>
  invoice.paymentUrl ?? template.replaceAll('{invoiceId}', encodeURIComponent(invoice.invoiceId));

/**
 * One invoice's line in a reminder for `stage`: the fee this stage adds (or already added, when its
 * claim recorded one) and what is owed with it, days overdue counted in the customer's zone.
 */
export const reminderLine = (args: {
  readonly invoice: Invoice;
  readonly customer: Pick<Customer, 'timeZone'>;
  readonly stage: Stage;
  readonly now: Date;
  readonly paymentUrlTemplate: string;
  readonly latePayment?: LatePaymentClaim;
}): ReminderLine => {
  const { invoice, customer, stage, now } = args;
  const owed = outstanding(invoice);
  const charged = invoice.claims[stage.name]?.fee;
  const fee = charged ?? stageFee(stage, invoice.currency, invoiceBalance(invoice));
  return {
    invoice,
    stage,
    daysOverdue: daysOverdue(invoice.dueDate, now, customer.timeZone),
    fee,
    outstanding: charged === undefined ? owed + fee : owed,
    paymentUrl: paymentUrlFor(invoice, args.paymentUrlTemplate),
    ...(args.latePayment ? { latePayment: args.latePayment } : {}),
  };
};
