import type { Customer, CustomerStatus } from '../model.ts';
import type { MailVerdict } from './mail-event.ts';

/**
 * A status that stops reminders, and the standings it may replace. Anything else stays: the ledger
 * keeps the strongest word the customer or their mail provider has said.
 */
export interface StandingChange {
  readonly status: Extract<CustomerStatus, 'opted_out' | 'bounced'>;
  readonly over: readonly CustomerStatus[];
}

/** An opt-out (the customer's link, or a complaint) outranks every other standing. */
export const OPT_OUT: StandingChange = { status: 'opted_out', over: ['active', 'bounced', 'disputed'] };

/** A hard bounce marks only an active customer: an opt-out or a dispute already says more. */
export const BOUNCE: StandingChange = { status: 'bounced', over: ['active'] };

/**
 * What a mail event does to the customers at its address: a hard bounce marks them bounced, a
 * complaint opts them out, a soft bounce changes nothing (it is only recorded).
 */
export const standingChangeFor = (verdict: Pick<MailVerdict, 'action'>): StandingChange | undefined => {
  if (verdict.action === 'bounced') return BOUNCE;
  if (verdict.action === 'complained') return OPT_OUT;
  return undefined;
};

/** Whether `change` applies to a customer in `status` (a customer item without one is new, so active). */
export const changesStanding = (change: StandingChange, status: CustomerStatus | undefined): boolean =>
  status === undefined || change.over.includes(status);

/** Held back from reminders by care: a status other than active, or a pause (lapsed or not). */
export const isHeldBack = (customer: Pick<Customer, 'status' | 'pausedUntil'>): boolean =>
  customer.status !== 'active' || customer.pausedUntil !== undefined;

/** The standing a resume replaced, as the audit trail keeps it. */
export const previousStanding = (previous: Pick<Customer, 'status' | 'pausedUntil'>): string =>
  previous.pausedUntil ? `${previous.status}, paused until ${previous.pausedUntil}` : previous.status;

/** The customer once resumed: active, no pause. */
export const resumedCustomer = (previous: Customer): Customer => {
  const { pausedUntil: _until, pauseReason: _reason, ...rest } = previous;
  return { ...rest, status: 'active' };
};
