/**
 * The CloudWatch names the Lambdas emit (Powertools Metrics, EMF) and the stack's alarms and
 * dashboard read: one definition, so an alarm can never watch a metric nothing writes.
 */
export const METRICS_NAMESPACE = 'Dunning';

export const RUN_SERVICE = 'dunning-run';
export const MAIL_EVENTS_SERVICE = 'dunning-mail-events';
export const PAYMENTS_SERVICE = 'dunning-payments';

/** Per run part: counts of invoice reminders (and emails), and how long the part took. */
export const RUN_METRICS = {
  considered: 'considered',
  sent: 'sent',
  emails: 'emails',
  deferred: 'deferred',
  failed: 'failed',
  unknownOutcome: 'unknown_outcome',
  duration: 'run_duration',
} as const;

/** Skips are counted under `skipped_<reason>`. */
export const skippedMetric = (reason: string): string => `skipped_${reason}`;

/** Bounces and complaints the mail-events function applied, `mail_<action>`. */
export const mailEventMetric = (action: string): string => `mail_${action}`;
