import type { Deferral, DeferralScheduler } from '../../domain/run/ports.ts';
import type { RunDeferrals } from '../dynamodb/run-deferrals.ts';

/**
 * The DeferralScheduler of the local stack: deferred work is written to the store, and `dunning dev`'s
 * loop (or the next run) takes it once the customer's opening has come.
 */
export class StoreDeferralScheduler implements DeferralScheduler {
  constructor(private readonly deferrals: RunDeferrals) {}

  defer(deferral: Deferral): Promise<'scheduled' | 'already_scheduled'> {
    return this.deferrals.put(deferral);
  }
}
