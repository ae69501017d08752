import type { CustomerFailure, PendingImport, RunEvents } from '../shared/domain/run/ports.ts';
import type { RunOutcome } from '../shared/domain/run/service.ts';
import { RUN_METRICS, skippedMetric } from '../shared/metric-names.ts';

/** The slice of Powertools Logger the run writes to. */
export interface RunLogger {
  info(message: string, attributes: Record<string, unknown>): void;
  warn(message: string, attributes: Record<string, unknown>): void;
  error(message: string, attributes: Record<string, unknown>): void;
}

/** The slice of Powertools Metrics the run writes to. */
export interface RunMetrics {
  addMetric(name: string, unit: 'Count' | 'Milliseconds', value: number): void;
  publishStoredMetrics(): void;
}

/**
 * One structured line per run part and per failed customer, with ids and counts only (never an
 * address or a body: the failure reason has addresses redacted), and the part's figures as metrics.
 */
export const runObservability = (logger: RunLogger, metrics: RunMetrics) => {
  const events: RunEvents = {
    customerFailed: (failure: CustomerFailure) =>
      logger.error('customer failed', {
        runId: failure.runId,
        customerId: failure.customerId,
        invoiceIds: failure.invoiceIds,
        reason: failure.reason,
      }),
    importsPending: (imports: readonly PendingImport[]) =>
      logger.warn('committed imports not completed before the run', { imports }),
  };

  /** After each invocation: the part's line and metrics, published at once (EMF in the log). */
  const reportPart = (kind: string, outcome: RunOutcome, durationMs: number): void => {
    const { part } = outcome;
    logger.info('run part', {
      runId: outcome.runId,
      kind,
      done: outcome.done,
      duplicate: outcome.duplicate ?? false,
      considered: part.considered,
      sent: part.sent,
      emails: part.emails,
      deferred: part.deferred,
      failed: part.failed,
      skipped: Object.fromEntries(Object.entries(part.skipped).filter(([, count]) => count > 0)),
      durationMs,
    });
    metrics.addMetric(RUN_METRICS.considered, 'Count', part.considered);
    metrics.addMetric(RUN_METRICS.sent, 'Count', part.sent);
    metrics.addMetric(RUN_METRICS.emails, 'Count', part.emails);
    metrics.addMetric(RUN_METRICS.deferred, 'Count', part.deferred);
    metrics.addMetric(RUN_METRICS.failed, 'Count', part.failed);
    metrics.addMetric(RUN_METRICS.unknownOutcome, 'Count', part.skipped.unknown_outcome ?? 0);
    for (const [reason, count] of Object.entries(part.skipped))
      if (reason !== 'unknown_outcome') metrics.addMetric(skippedMetric(reason), 'Count', count);
    metrics.addMetric(RUN_METRICS.duration, 'Milliseconds', durationMs);
    metrics.publishStoredMetrics();
  };

  return { events, reportPart };
};
