/**
 * The one retry pause: exponential in the attempt, capped, with "equal jitter" (half fixed, half
 * random) so that clients retrying together spread out instead of colliding again.
 */
export interface Backoff {
  /** The pause before the first retry, before jitter. */
  readonly baseMs: number;
  /** No pause is longer than this, before jitter. */
  readonly capMs: number;
}

/** The pause before retry number `attempt` (1 = the first retry). */
export const backoffMs = (attempt: number, backoff: Backoff, random: () => number = Math.random): number =>
  Math.min(backoff.capMs, backoff.baseMs * 2 ** (attempt - 1)) * (0.5 + random() / 2);

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
