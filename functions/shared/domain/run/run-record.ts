import type { RunRecord, RunStatus } from './ports.ts';

/** One run in the `dunning runs --json` document (docs/cli.md), with what it was started by. */
export interface RunEntry {
  readonly runId: string;
  readonly trigger: string;
  readonly asOf: string;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly status: RunStatus;
  readonly considered: number;
  readonly sent: number;
  readonly emails: number;
  readonly deferred: number;
  readonly skipped: Record<string, number>;
  readonly failed: number;
  readonly unknownOutcome: number;
  readonly customerId?: string;
  readonly error?: string;
}

/**
 * A record as people read it. A run still `running` past its holder's lease was left by an
 * invocation that died (time-out, out of memory): it is shown as failed, which it is.
 */
export const runEntry = (record: RunRecord, now: Date): RunEntry => {
  const abandoned =
    record.status === 'running' &&
    record.leaseUntil !== undefined &&
    Date.parse(record.leaseUntil) < now.getTime();
  const { summary } = record;
  return {
    runId: record.runId,
    trigger: record.trigger,
    asOf: record.asOf,
    startedAt: record.startedAt,
    finishedAt: record.finishedAt ?? null,
    status: abandoned ? 'failed' : record.status,
    considered: summary.considered,
    sent: summary.sent,
    emails: summary.emails,
    deferred: summary.deferred,
    skipped: summary.skipped,
    failed: summary.failed,
    unknownOutcome: summary.skipped.unknown_outcome ?? 0,
    ...(record.scope.kind === 'customer' ? { customerId: record.scope.customerId } : {}),
    ...(abandoned
      ? { error: 'its invocation ended before it finished' }
      : record.error
        ? { error: record.error }
        : {}),
  };
};
