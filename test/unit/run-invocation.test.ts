import { describe, expect, it } from 'vitest';
import { runEventSchema } from '../../functions/run/event.ts';
import { type InvokedRun, runInvocation } from '../../functions/shared/domain/run/invocation.ts';
import type { RunOutcome } from '../../functions/shared/domain/run/service.ts';

/** A run that records which entry an invocation started, and with what. */
const recordingRun = () => {
  const calls: unknown[][] = [];
  const entered = (entry: string, ...args: unknown[]): Promise<RunOutcome> => {
    calls.push([entry, ...args]);
    return Promise.resolve({ runId: entry } as RunOutcome);
  };
  const run: InvokedRun = {
    run: (request) => entered('run', request),
    runOpening: (at, request) => entered('runOpening', at, request),
    runDeferred: (customerId, runId, request) => entered('runDeferred', customerId, runId, request),
    resume: (runId, left) => entered('resume', runId, left),
  };
  return { run, calls };
};

const now = new Date('2026-03-16T08:00:00.000Z');
const timeLeft = () => 42_000;

describe('One invocation of the run function', () => {
  it('runs the day as of the invocation, or as of the instant the event names', async () => {
    const { run, calls } = recordingRun();
    const daily = runEventSchema.parse({ kind: 'daily' });
    expect((await runInvocation(run, daily, { now, timeLeft })).runId).toBe('run');
    const named = runEventSchema.parse({ kind: 'daily', asOf: '2026-03-13T17:30:00+01:00' });
    await runInvocation(run, named, { now, timeLeft });
    expect(calls).toEqual([
      ['run', { asOf: now, timeLeft, trigger: 'daily' }],
      ['run', { asOf: new Date('2026-03-13T16:30:00.000Z'), timeLeft, trigger: 'daily' }],
    ]);
  });

  it("takes an opening's customers at the opening's instant, as of the invocation", async () => {
    const { run, calls } = recordingRun();
    const event = runEventSchema.parse({ kind: 'opening', at: '2026-03-16T09:00:00.000Z' });
    expect((await runInvocation(run, event, { now, timeLeft })).runId).toBe('runOpening');
    expect(calls).toEqual([['runOpening', new Date('2026-03-16T09:00:00.000Z'), { asOf: now, timeLeft }]]);
  });

  it('runs one deferred customer under the run that deferred them', async () => {
    const { run, calls } = recordingRun();
    const event = runEventSchema.parse({ kind: 'deferred', customerId: 'C-1', runId: 'run-1' });
    expect((await runInvocation(run, event, { now, timeLeft })).runId).toBe('runDeferred');
    expect(calls).toEqual([['runDeferred', 'C-1', 'run-1', { asOf: now, timeLeft }]]);
  });

  it('continues a checkpointed run with the time this invocation has', async () => {
    const { run, calls } = recordingRun();
    const event = runEventSchema.parse({ kind: 'continue', runId: 'run-1', checkpoint: 'C-500' });
    expect((await runInvocation(run, event, { now, timeLeft })).runId).toBe('resume');
    expect(calls).toEqual([['resume', 'run-1', timeLeft]]);
  });
});
