/**
 * What customer care did to a customer or an invoice, kept in the audit trail next to reminders and
 * skips: who asked (an operator, the customer's one-click link, the mail provider), when and why.
 */
export const CARE_ACTIONS = [
  'paused',
  'resumed',
  'opted_out',
  'bounced',
  'soft_bounced',
  'complained',
  'disputed',
  'undisputed',
  /** An operator cleared a flag that held the invoice (`dunning resolve`). */
  'resolved',
] as const;
export type CareAction = (typeof CARE_ACTIONS)[number];

/** Who asked: `operator` (the CLI), `customer` (the opt-out or answer link), `mail` (SES bounce/complaint events). */
export type CareActor = 'operator' | 'customer' | 'mail';

export interface CareEvent {
  readonly at: string;
  readonly action: CareAction;
  readonly by: CareActor;
  readonly customerId: string;
  readonly invoiceId?: string;
  readonly reason?: string;
  /** A pause's end date. */
  readonly until?: string;
  /** The customer's standing before a resume, for the record. */
  readonly previousStatus?: string;
  /** The provider's id of what triggered it (an SES feedback or message id). */
  readonly reference?: string;
  /** The invoice flag an operator cleared. */
  readonly flag?: string;
}

/** The invoice flag a dispute sets: the run skips a flagged invoice under the flag's name. */
export const DISPUTED_FLAG = 'disputed';
