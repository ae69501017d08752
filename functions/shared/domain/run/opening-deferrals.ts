import pLimit from 'p-limit';
import type { Invoice } from '../model.ts';
import type {
  Deferral,
  DeferralBook,
  DeferralScheduler,
  OpeningAlarm,
  RunLedger,
  WaitingCustomer,
} from './ports.ts';

/**
 * Deferral by opening instant: the customer waits in the store, and the opening gets one wake-up
 * however many customers, zones or runs wait for it. Customers in London and Lisbon, or in two runs
 * of the same morning, share one schedule and one invocation. Without an alarm (the local stack)
 * the dev loop or the next run takes the waiting customers.
 */
export class OpeningDeferrals implements DeferralScheduler {
  /** Instants this process has asked to wake at: a run deferring thousands asks once per instant. */
  private readonly asked = new Map<number, Promise<unknown>>();

  constructor(
    private readonly book: DeferralBook,
    private readonly alarm?: OpeningAlarm,
  ) {}

  async defer(deferral: Deferral): Promise<'scheduled' | 'already_scheduled'> {
    // Written before the wake-up is asked for, so the opening's run finds the customer waiting.
    const outcome = await this.book.put(deferral);
    await this.wake(deferral);
    return outcome;
  }

  private async wake({ opening }: Deferral): Promise<void> {
    if (!this.alarm) return;
    const key = opening.instant.getTime();
    let asked = this.asked.get(key);
    if (!asked) {
      asked = this.alarm.wakeAt(opening);
      this.asked.set(key, asked);
      // A failed request is asked again by the next customer (the alarm is idempotent).
      asked.catch(() => this.asked.delete(key));
    }
    await asked;
  }
}

/** `opening-20260316T0800Z`: one run, and one schedule name, per opening instant. */
export const openingName = (at: Date): string =>
  `opening-${at.toISOString().replace(/[-:]/g, '').slice(0, 13)}Z`;

export const openingRunId = openingName;

/** Customers' due invoices read at once at the start of an opening run. */
const READS_IN_FLIGHT = 16;

/**
 * What an opening's run works: the due invoices of every customer waiting for it. A waiting
 * customer is taken off the book once worked (`finish`); one with nothing due any more (paid since,
 * or reminded by a run in between) is taken off at once.
 */
export const openingWork = async (
  book: DeferralBook,
  ledger: Pick<RunLedger, 'customerDueInvoices'>,
  at: Date,
  asOf: Date,
): Promise<{ invoices: Invoice[]; finish: (customerId: string) => Promise<void> }> => {
  const waiting = new Map<string, WaitingCustomer[]>();
  for (const entry of await book.due(at))
    waiting.set(entry.customerId, [...(waiting.get(entry.customerId) ?? []), entry]);
  const limit = pLimit(READS_IN_FLIGHT);
  const customerIds = [...waiting.keys()];
  const lists = await Promise.all(customerIds.map((id) => limit(() => ledger.customerDueInvoices(id, asOf))));
  const invoices = lists.flat();
  const finish = async (customerId: string) => {
    for (const entry of waiting.get(customerId) ?? []) await book.complete(entry);
  };
  const withWork = new Set(invoices.map((invoice) => invoice.customerId));
  await Promise.all(customerIds.filter((id) => !withWork.has(id)).map((id) => limit(() => finish(id))));
  return { invoices, finish };
};
