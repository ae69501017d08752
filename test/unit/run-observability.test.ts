import { describe, expect, it } from 'vitest';
import { runObservability } from '../../functions/run/observability.ts';
import { failureReason } from '../../functions/shared/domain/run/failure.ts';
import type { RunOutcome } from '../../functions/shared/domain/run/service.ts';
import { emptySummary, summaryDelta } from '../../functions/shared/domain/run/summary.ts';

const recorder = () => {
  const lines: { level: string; message: string; attributes: Record<string, unknown> }[] = [];
  const metrics: [string, string, number][] = [];
  let published = 0;
  const log = (level: string) => (message: string, attributes: Record<string, unknown>) =>
    lines.push({ level, message, attributes });
  const observability = runObservability(
    { info: log('info'), warn: log('warn'), error: log('error') },
    {
      addMetric: (name, unit, value) => metrics.push([name, unit, value]),
      publishStoredMetrics: () => {
        published += 1;
      },
    },
  );
  return { observability, lines, metrics, published: () => published };
};

describe('Run logs and metrics', () => {
  it('names the error of a failed customer without the address SES put in it', () => {
    const error = Object.assign(new Error('Email address is not verified: ana.lopez@customer.example'), {
      name: 'MessageRejected',
    });
    expect(failureReason(error)).toBe('MessageRejected: Email address is not verified: [address]');
    expect(failureReason('x'.repeat(1000))).toHaveLength(300);
  });

  it('logs one line per failed customer, ids and reason only', () => {
    const { observability, lines } = recorder();
    observability.events.customerFailed({
      runId: 'run-1',
      customerId: 'C-7',
      invoiceIds: ['INV-1', 'INV-2'],
      reason: failureReason(new Error('render failed for bob@example.com')),
    });
    expect(lines).toEqual([
      {
        level: 'error',
        message: 'customer failed',
        attributes: {
          runId: 'run-1',
          customerId: 'C-7',
          invoiceIds: ['INV-1', 'INV-2'],
          reason: 'Error: render failed for [address]',
        },
      },
    ]);
    expect(JSON.stringify(lines)).not.toContain('@');
  });

  it('warns once about committed imports the run could not complete, with their ids', () => {
    const { observability, lines } = recorder();
    observability.events.importsPending?.([{ importId: 'imp-1', reason: 'ValidationException: too large' }]);
    expect(lines).toEqual([
      {
        level: 'warn',
        message: 'committed imports not completed before the run',
        attributes: { imports: [{ importId: 'imp-1', reason: 'ValidationException: too large' }] },
      },
    ]);
  });

  it("emits what this part did, not the run's running total, and publishes once", () => {
    const before = { ...emptySummary('2026-03-10T12:00:00.000Z', false), considered: 10, sent: 6, emails: 4 };
    before.skipped.paused = 2;
    const after = structuredClone(before);
    Object.assign(after, { considered: 15, sent: 9, emails: 6, failed: 1 });
    after.skipped.paused = 3;
    after.skipped.unknown_outcome = 1;
    const outcome = {
      runId: 'run-1',
      summary: after,
      part: summaryDelta(after, before),
      done: true,
      outgoing: [],
      failures: [],
      pendingImports: [],
    } satisfies RunOutcome;
    const { observability, lines, metrics, published } = recorder();

    observability.reportPart('continue', outcome, 1234);

    expect(metrics).toEqual(
      expect.arrayContaining([
        ['considered', 'Count', 5],
        ['sent', 'Count', 3],
        ['emails', 'Count', 2],
        ['deferred', 'Count', 0],
        ['failed', 'Count', 1],
        ['unknown_outcome', 'Count', 1],
        ['skipped_paused', 'Count', 1],
        ['run_duration', 'Milliseconds', 1234],
      ]),
    );
    expect(metrics.some(([name]) => name === 'skipped_unknown_outcome')).toBe(false);
    expect(published()).toBe(1);
    expect(lines).toEqual([
      {
        level: 'info',
        message: 'run part',
        attributes: expect.objectContaining({
          runId: 'run-1',
          kind: 'continue',
          done: true,
          sent: 3,
          skipped: { paused: 1, unknown_outcome: 1 },
          durationMs: 1234,
        }),
      },
    ]);
  });
});
