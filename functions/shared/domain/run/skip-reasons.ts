/**
 * Why an invoice that the due index surfaced got no reminder in a run. Each skip is written to the
 * invoice's audit trail and counted in the run summary under its reason.
 */
export const SKIP_REASONS = [
  'paused',
  'disputed',
  'opted_out',
  'bounced',
  'paid',
  'below_minimum',
  'currency_mismatch',
  'min_gap',
  /** A claim left `claimed` by a run that died between send and record: never resent, flagged. */
  'unknown_outcome',
  /** The customer's answer from a reminder's link: "I will pay by", "I have paid", "I need a plan". */
  'promised',
  'paid_claimed',
  'plan_requested',
] as const;

export type KnownSkipReason = (typeof SKIP_REASONS)[number];
/** Flags other than a currency mismatch are counted under the flag's own name. */
export type SkipReason = KnownSkipReason | (string & {});
