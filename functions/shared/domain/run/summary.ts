import { SKIP_REASONS, type SkipReason } from './skip-reasons.ts';

/**
 * What one dunning run did, the document `dunning run --json` prints (docs/cli.md).
 * `sent` and `deferred` count invoice reminders; `emails` counts the messages that carried them.
 */
export interface RunSummary {
  readonly asOf: string;
  readonly dryRun: boolean;
  considered: number;
  sent: number;
  deferred: number;
  skipped: Record<string, number>;
  failed: number;
  emails: number;
}

export const emptySummary = (asOf: string, dryRun: boolean): RunSummary => ({
  asOf,
  dryRun,
  considered: 0,
  sent: 0,
  deferred: 0,
  // Every known reason is present, at 0 when it did not occur, so readers can compare runs field by field.
  skipped: Object.fromEntries(SKIP_REASONS.map((reason) => [reason, 0])),
  failed: 0,
  emails: 0,
});

/** What one part of a run did: its summary at the end less the summary it resumed from. */
export const summaryDelta = (after: RunSummary, before: RunSummary): RunSummary => {
  const skipped: Record<string, number> = {};
  for (const [reason, count] of Object.entries(after.skipped))
    skipped[reason] = count - (before.skipped[reason] ?? 0);
  return {
    asOf: after.asOf,
    dryRun: after.dryRun,
    considered: after.considered - before.considered,
    sent: after.sent - before.sent,
    deferred: after.deferred - before.deferred,
    skipped,
    failed: after.failed - before.failed,
    emails: after.emails - before.emails,
  };
};

export const countSkip = (summary: RunSummary, reason: SkipReason, count = 1): void => {
  summary.skipped[reason] = (summary.skipped[reason] ?? 0) + count;
};

/** The summary as the CLI prints it for a person, and `dunning dev` after its first run. */
export const formatRunSummary = (summary: RunSummary): string => {
  const skips = Object.entries(summary.skipped).filter(([, count]) => count > 0);
  const skipped = skips.reduce((total, [, count]) => total + count, 0);
  const lines = [
    `Dunning run as of ${summary.asOf}${summary.dryRun ? ' (dry run: nothing sent or written)' : ''}`,
    `  considered  ${summary.considered} invoice${summary.considered === 1 ? '' : 's'}`,
    `  sent        ${summary.sent} reminder${summary.sent === 1 ? '' : 's'} in ${summary.emails} email${summary.emails === 1 ? '' : 's'}`,
    `  deferred    ${summary.deferred} to the customer's business hours`,
    `  skipped     ${skipped}`,
    ...skips.map(([reason, count]) => `    ${reason.padEnd(18)}${count}`),
    `  failed      ${summary.failed}`,
  ];
  if ((summary.skipped.unknown_outcome ?? 0) > 0) {
    lines.push(
      `  ! ${summary.skipped.unknown_outcome} reminder(s) with an unknown send outcome need an operator (see "dunning show")`,
    );
  }
  return lines.join('\n');
};

/** A committed import the run could not complete first, as the CLI and `dunning dev` print it. */
export const pendingImportLine = (pending: { readonly importId?: string; readonly reason: string }): string =>
  `  ! import ${pending.importId ?? '(the pending list)'} committed but not completed: ${pending.reason}; the run went on without it (see "dunning import --status")`;
