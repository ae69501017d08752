import { answerHold } from '../answers/rules.ts';
import { addDays, daysBetween, localDate, startOfLocalDay } from '../calendar.ts';
import { type Customer, type Invoice, outstanding, type StageClaim } from '../model.ts';
import { parseMajor } from '../money.ts';
import type { Policy, Stage } from '../policy.ts';
import type { SkipReason } from './skip-reasons.ts';
import { dueStage } from './stage-choice.ts';

/** What the run does with one invoice the due index surfaced, before any customer-wide rule. */
export type InvoiceVerdict =
  | { readonly kind: 'due'; readonly stage: Stage }
  /** `leaveIndex`: nothing will ever be due again without an outside change (paid, flagged). */
  | { readonly kind: 'skip'; readonly reason: SkipReason; readonly leaveIndex: boolean }
  /** Out of dunning (handed off): leaves the due index silently. */
  | { readonly kind: 'closed' }
  /** The index is ahead of the invoice (its stage is already claimed): move it to the next action. */
  | { readonly kind: 'not_due' }
  /** Another live run holds a claim on it right now; that run reports it. */
  | { readonly kind: 'in_flight' };

/** Claims (and holds on a run) older than this are from a dead invocation: beyond any Lambda's life. */
export const STALE_CLAIM_MS = 20 * 60_000;

export interface AssessContext {
  readonly policy: Policy;
  readonly asOf: Date;
  /** The real clock, for the age of claims (not `asOf`, which may be a simulated day). */
  readonly now: Date;
  readonly runId: string;
  /** A claim older than this is from a run that is dead: no run lives longer (Lambda's 15 minutes). */
  readonly staleClaimMs: number;
}

/**
 * Claims whose send outcome nobody knows: left `claimed` by a run that has since died (too old), or
 * by an earlier attempt of this very run (a retried invocation). SES has no idempotency key, so such
 * a reminder is never sent again automatically; an operator looks at it.
 */
const isAbandoned = (claim: StageClaim, context: AssessContext): boolean =>
  claim.runId === context.runId ||
  Date.parse(claim.claimedAt) + context.staleClaimMs <= context.now.getTime();

export const abandonedClaims = (invoice: Pick<Invoice, 'claims'>, context: AssessContext): StageClaim[] =>
  Object.values(invoice.claims).filter((claim) => claim.status === 'claimed' && isAbandoned(claim, context));

const minimumFor = (policy: Policy, currency: string): number => {
  const major = policy.minimumAmount[currency] ?? policy.minimumAmount.default ?? '0';
  try {
    return parseMajor(major, currency);
  } catch {
    return 0;
  }
};

/** Customer statuses that stop every reminder, in the order their reason is reported. */
export const customerSkip = (customer: Customer, today: string): SkipReason | undefined => {
  if (customer.status === 'opted_out' || customer.status === 'bounced' || customer.status === 'disputed')
    return customer.status;
  if (customer.pausedUntil !== undefined && today < customer.pausedUntil) return 'paused';
  return undefined;
};

/** Decides one invoice's fate in this run from its own state and its customer's standing. */
export const assessInvoice = (
  invoice: Invoice,
  customer: Customer,
  context: AssessContext,
): InvoiceVerdict => {
  if (invoice.status === 'handed_off') return { kind: 'closed' };
  if (invoice.status === 'paid' || outstanding(invoice) === 0)
    return { kind: 'skip', reason: 'paid', leaveIndex: true };
  const flag = invoice.flags[0];
  if (flag !== undefined) return { kind: 'skip', reason: flag, leaveIndex: true };
  const live = Object.values(invoice.claims).some(
    (claim) => claim.status === 'claimed' && !isAbandoned(claim, context),
  );
  if (live) return { kind: 'in_flight' };
  const today = localDate(context.asOf, customer.timeZone);
  // The customer's answer holds the invoice on every run while it lasts, due stage or not, so each
  // run records the hold; it stays in the index and is looked at again when the hold ends.
  const hold = answerHold(invoice, today);
  if (hold) return { kind: 'skip', reason: hold, leaveIndex: false };
  const stage = dueStage(invoice, context.policy, today);
  if (!stage) return { kind: 'not_due' };
  const skip = customerSkip(customer, today);
  if (skip) return { kind: 'skip', reason: skip, leaveIndex: false };
  if (outstanding(invoice) < minimumFor(context.policy, invoice.currency))
    return { kind: 'skip', reason: 'below_minimum', leaveIndex: false };
  return { kind: 'due', stage };
};

/**
 * The policy's minimum gap in calendar days of the customer's zone: a reminder on Monday at 16:59
 * allows the next one on Thursday at 09:00 with a 3-day gap.
 */
export const gapAllows = (customer: Customer, asOf: Date, gapDays: number): boolean =>
  customer.lastReminderAt === undefined ||
  daysBetween(
    localDate(new Date(customer.lastReminderAt), customer.timeZone),
    localDate(asOf, customer.timeZone),
  ) >= gapDays;

/**
 * The instant before which the customer's last reminder must lie for a new one to respect the gap;
 * the conditional write that claims the customer compares `lastReminderAt` with it.
 */
export const gapBoundary = (customer: Pick<Customer, 'timeZone'>, asOf: Date, gapDays: number): Date =>
  startOfLocalDay(addDays(localDate(asOf, customer.timeZone), 1 - gapDays), customer.timeZone);
