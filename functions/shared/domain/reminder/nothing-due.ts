import { addDays, localDate } from '../calendar.ts';
import { type Customer, type Invoice, outstanding } from '../model.ts';
import { formatMoney } from '../money.ts';
import type { Policy } from '../policy.ts';
import { assessInvoice, type InvoiceVerdict, STALE_CLAIM_MS } from '../run/assess.ts';
import { nextUnclaimedStage, stageDate } from '../schedule.ts';

/**
 * Why an invoice gets no reminder today, said for an operator: the same verdict the run would reach,
 * in words, so `dunning preview` never renders a reminder that would not go out (or one for 0.00).
 */
export interface NothingDue {
  /** The run's skip reason, or `not_due`, `handed_off`, `in_flight`. */
  readonly reason: string;
  readonly explanation: string;
}

/** A run's skip reason in words, for the operator reading `dunning preview`. */
export const skipWords = (reason: string, invoice: Invoice, customer: Customer, policy?: Policy): string => {
  switch (reason) {
    case 'min_gap':
      return `the customer's last reminder (${customer.lastReminderAt ?? 'just now'}) is within the policy's minimum gap${policy ? ` of ${policy.minimumGapDays} days` : ''}`;
    case 'unknown_outcome':
      return 'a run stopped between sending a reminder and recording it; it is never sent again automatically (dunning show)';
    case 'promised':
      return 'the customer promised to pay by a date; reminders wait until it has passed';
    case 'paid_claimed':
      return "the customer says they have paid; reminders wait for the payment for the policy's grace days";
    case 'plan_requested':
      return 'the customer asked for a payment plan; reminders wait for an operator';
    case 'paid':
      return 'it is paid in full: nothing is outstanding';
    case 'opted_out':
      return 'the customer opted out of payment reminders';
    case 'bounced':
      return "reminders to the customer's address bounce";
    case 'disputed':
      return 'the customer or the invoice is disputed (dunning undispute ends it)';
    case 'paused':
      return `the customer is paused until ${customer.pausedUntil}${customer.pauseReason ? ` (${customer.pauseReason})` : ''}`;
    case 'below_minimum':
      return `what is outstanding (${formatMoney(outstanding(invoice), invoice.currency, 'en-US')}) is below the policy's minimum`;
    case 'currency_mismatch':
      return 'it is held for an operator: a payment arrived in another currency (dunning resolve clears it)';
    default:
      return `it is held for an operator (${reason})`;
  }
};

/**
 * The first day the policy's minimum gap lets the customer's next reminder go out, in their zone: the
 * email just sent promises "not before" that day, so the operator is told the same.
 */
const gapEnds = (customer: Customer, policy: Policy): string | undefined =>
  customer.lastReminderAt === undefined
    ? undefined
    : addDays(localDate(new Date(customer.lastReminderAt), customer.timeZone), policy.minimumGapDays);

const notDueWords = (invoice: Invoice, customer: Customer, policy: Policy, now: Date): string => {
  const next = nextUnclaimedStage(invoice, policy);
  if (!next) return 'every stage of the policy has been sent';
  const date = stageDate(invoice, next);
  if (date <= localDate(now, customer.timeZone))
    return 'the reminder for the stage it has reached was already sent';
  const gapEnd = gapEnds(customer, policy);
  const held =
    gapEnd !== undefined && gapEnd > date
      ? `; the policy's minimum gap of ${policy.minimumGapDays} days after the last reminder holds it until ${gapEnd}`
      : '';
  return `no stage is due yet: the next, "${next.name}", is due on ${date}${held}`;
};

const words = (verdict: InvoiceVerdict, invoice: Invoice, customer: Customer, policy: Policy, now: Date) => {
  switch (verdict.kind) {
    case 'closed':
      return {
        reason: 'handed_off',
        explanation: `it was handed to ${policy.collections.name} after its final notice`,
      };
    case 'skip':
      return { reason: verdict.reason, explanation: skipWords(verdict.reason, invoice, customer, policy) };
    case 'not_due':
      return { reason: 'not_due', explanation: notDueWords(invoice, customer, policy, now) };
    case 'in_flight':
      return { reason: 'in_flight', explanation: 'a run is sending its reminder right now' };
    case 'due':
      return undefined;
  }
};

/** Undefined when the invoice has a reminder due today; else why not. */
export const nothingDue = (
  invoice: Invoice,
  customer: Customer,
  policy: Policy,
  now: Date,
): NothingDue | undefined => {
  const verdict = assessInvoice(invoice, customer, {
    policy,
    asOf: now,
    now,
    runId: 'preview',
    staleClaimMs: STALE_CLAIM_MS,
  });
  return words(verdict, invoice, customer, policy, now);
};
