import type { DunningRun, RunOutcome } from './service.ts';

/**
 * What wakes the run, as the run function's event carries it: the daily schedule (optionally as of
 * an instant), the one-time schedule of an opening, one customer deferred by a schedule created
 * before openings were shared, or the run continuing from a checkpoint in a fresh invocation.
 */
export type RunInvocation =
  | { readonly kind: 'daily'; readonly asOf?: string | undefined }
  | { readonly kind: 'opening'; readonly at: string }
  | { readonly kind: 'deferred'; readonly customerId: string; readonly runId: string }
  /** `checkpoint` names the part it resumes after; the state itself is in the store. */
  | { readonly kind: 'continue'; readonly runId: string; readonly checkpoint: string };

export interface InvocationBudget {
  /** The instant the invocation started: the day's run is as of it unless the event names one. */
  readonly now: Date;
  /** Time left before the run must checkpoint and hand over to a fresh invocation. */
  readonly timeLeft: () => number;
}

/** The part of the run an invocation can start. */
export type InvokedRun = Pick<DunningRun, 'run' | 'runOpening' | 'runDeferred' | 'resume'>;

/** One invocation of the run: which of its entries the event asks for, within the invocation's time. */
export const runInvocation = (
  run: InvokedRun,
  invocation: RunInvocation,
  { now, timeLeft }: InvocationBudget,
): Promise<RunOutcome> => {
  switch (invocation.kind) {
    case 'daily':
      return run.run({
        asOf: invocation.asOf ? new Date(invocation.asOf) : now,
        timeLeft,
        trigger: 'daily',
      });
    case 'opening':
      return run.runOpening(new Date(invocation.at), { asOf: now, timeLeft });
    case 'deferred':
      return run.runDeferred(invocation.customerId, invocation.runId, { asOf: now, timeLeft });
    case 'continue':
      return run.resume(invocation.runId, timeLeft);
  }
};
