/**
 * How many customers the run works at once. Sending is what the quota limits, so the run keeps as
 * many customers in flight as the quota can serve while each is worked (Little's law: in flight =
 * rate x time per customer), plus headroom for the slow ones, so a send is always waiting when the
 * quota allows one. Too few and the quota goes unused; too many only hold claims while they queue.
 */

/** Never fewer: the width the run had before it read the quota, and enough to hide one slow customer. */
export const MIN_CUSTOMERS_IN_FLIGHT = 4;
/**
 * Never more: 500 sends a second at 128 ms per customer. Bounds the claims held at once, the memory
 * of an invocation and the sockets it opens (the SDK clients allow more than this; adapters/endpoints).
 */
export const MAX_CUSTOMERS_IN_FLIGHT = 128;
/**
 * Over Little's law: per-customer times have a tail and swing with the service's load, and a slot
 * short means a send missed for good, where a slot over only holds a claim while it waits its turn.
 */
export const HEADROOM = 2;

/** Customers in flight for a quota of `sendsPerSecond` when one customer takes `secondsPerCustomer`. */
export const customersInFlight = (sendsPerSecond: number, secondsPerCustomer: number): number => {
  const wanted = Math.ceil(sendsPerSecond * secondsPerCustomer * HEADROOM);
  if (Number.isNaN(wanted)) return MIN_CUSTOMERS_IN_FLIGHT;
  return Math.min(MAX_CUSTOMERS_IN_FLIGHT, Math.max(MIN_CUSTOMERS_IN_FLIGHT, wanted));
};

/** How much the newest customer moves the estimate: about the last ten count. */
const WEIGHT = 0.2;

/**
 * The run's estimate of the time one customer takes, from the customers it has worked (an
 * exponentially weighted mean, so the estimate follows the service as it speeds up or slows down),
 * and the width that follows from it. Time a customer waited for the quota is not theirs: counting
 * it would make a full pool look slow and grow it without end.
 */
export class CustomerPace {
  private seconds: number | undefined;

  /** `sendsPerSecond`: the account's quota; undefined when the mailer cannot say (the width stays at the least). */
  constructor(private readonly sendsPerSecond: number | undefined) {}

  /** One customer worked in `seconds`, of which `waitedSeconds` queued for the quota. */
  observe(seconds: number, waitedSeconds = 0): void {
    const worked = Math.max(0, seconds - waitedSeconds);
    this.seconds = this.seconds === undefined ? worked : this.seconds + WEIGHT * (worked - this.seconds);
  }

  /** Seconds per customer so far; undefined before the first. */
  get secondsPerCustomer(): number | undefined {
    return this.seconds;
  }

  /** The width now: the least until a customer has been timed, or when the quota is unknown. */
  inFlight(): number {
    if (this.sendsPerSecond === undefined || this.seconds === undefined) return MIN_CUSTOMERS_IN_FLIGHT;
    return customersInFlight(this.sendsPerSecond, this.seconds);
  }
}
