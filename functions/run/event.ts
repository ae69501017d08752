import { z } from 'zod';

/**
 * What invokes the run Lambda: the daily EventBridge Scheduler schedule, a one-time deferral schedule
 * for one customer, or the run itself continuing from a checkpoint in a fresh invocation.
 */
export const runEventSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('daily'), asOf: z.iso.datetime({ offset: true }).optional() }),
  z.object({ kind: z.literal('deferred'), customerId: z.string().min(1), runId: z.string().min(1) }),
  /** `checkpoint` names the part (the cursor it resumes after); the state itself is in the store. */
  z.object({ kind: z.literal('continue'), runId: z.string().min(1), checkpoint: z.string().min(1) }),
]);
export type RunEvent = z.infer<typeof runEventSchema>;
