import { UserInputError } from '../../errors.ts';
import { isIsoDate } from '../calendar.ts';
import type { Customer, CustomerStatus } from '../model.ts';

/** A customer's standing as `pause`/`resume` print it: paused is a status the run reads from the date. */
export interface CareStanding {
  readonly customerId: string;
  readonly status: CustomerStatus | 'paused';
  readonly pausedUntil?: string;
  readonly reason?: string;
}

/** Reasons end up in the audit trail and on screen: one line, bounded. */
const MAX_REASON_LENGTH = 500;

export const cleanReason = (reason: string | undefined): string | undefined => {
  if (reason === undefined) return undefined;
  const line = reason.replace(/\s+/g, ' ').trim();
  if (line.length > MAX_REASON_LENGTH)
    throw new UserInputError(`--reason is ${line.length} characters long; at most ${MAX_REASON_LENGTH}`);
  return line || undefined;
};

/**
 * The day reminders start again: an ISO date after `today` (the deployment's date), since a pause
 * that ended already would hold nothing.
 */
export const parsePauseUntil = (text: string, today: string): string => {
  const until = text.trim();
  if (!isIsoDate(until)) throw new UserInputError(`--until "${text}" is not an ISO date such as 2026-04-30`);
  if (until <= today)
    throw new UserInputError(`--until ${until} is not after today (${today}); reminders would not pause`);
  return until;
};

/**
 * The customer's standing on `today` (in their zone): a lapsed pause is just their status again. An
 * opt-out or a bounce outranks a pause, which still shows, since `resume` clears both.
 */
export const standingOf = (customer: Customer, today: string): CareStanding => {
  const paused = customer.pausedUntil !== undefined && today < customer.pausedUntil;
  return {
    customerId: customer.customerId,
    status: paused && customer.status === 'active' ? 'paused' : customer.status,
    ...(paused ? { pausedUntil: customer.pausedUntil } : {}),
    ...(paused && customer.pauseReason ? { reason: customer.pauseReason } : {}),
  };
};
