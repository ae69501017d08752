import * as z from '../shared/validation.ts';

const id = z.string().check(z.minLength(1));

/**
 * What invokes the run Lambda: the daily EventBridge Scheduler schedule, the one-time schedule of an
 * opening instant (every customer deferred to it), or the run itself continuing from a checkpoint in
 * a fresh invocation. `deferred` (one customer) is what schedules created before openings were
 * shared carry; they still run. It parses the domain's `RunInvocation`; the handler's typed use of its
 * result fails to compile when the two drift apart.
 */
export const runEventSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('daily'), asOf: z.optional(z.iso.datetime({ offset: true })) }),
  z.object({ kind: z.literal('opening'), at: z.iso.datetime({ offset: true }) }),
  z.object({ kind: z.literal('deferred'), customerId: id, runId: id }),
  /** `checkpoint` names the part (the cursor it resumes after); the state itself is in the store. */
  z.object({ kind: z.literal('continue'), runId: id, checkpoint: id }),
]);
