import pLimit from 'p-limit';

/**
 * The one concurrency limiter (p-limit), in the two shapes the adapters need: work over a known list,
 * and a window for a producer that must not run ahead of its consumers (a file being read, pages of a
 * query), so memory stays bounded by the window, never by the input.
 */

/** Runs `work` over every item, at most `limit` at once; the first failure rejects and stops the queue. */
export const forEachLimited = async <T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> => {
  const run = pLimit(Math.max(1, limit));
  await Promise.all(
    items.map((item) =>
      run(() => work(item)).catch((error: unknown) => {
        run.clearQueue();
        throw error;
      }),
    ),
  );
};

export interface TaskWindow {
  /** Starts the task, then waits until fewer than `limit` tasks are in flight; throws an earlier failure. */
  add(task: () => Promise<void>): Promise<void>;
  /** Waits for every task; throws the first failure. */
  drain(): Promise<void>;
}

/** `limit` may be a function: read again at each task, so the window can widen or narrow as it goes. */
export const taskWindow = (limit: number | (() => number)): TaskWindow => {
  const width = () => Math.max(1, typeof limit === 'number' ? limit : limit());
  const run = pLimit(width());
  const inFlight = new Set<Promise<void>>();
  let failure: unknown;
  let failed = false;
  const check = () => {
    if (failed) throw failure;
  };
  return {
    async add(task) {
      check();
      run.concurrency = width();
      const running: Promise<void> = run(task)
        .catch((error: unknown) => {
          if (!failed) [failed, failure] = [true, error];
        })
        .finally(() => inFlight.delete(running));
      inFlight.add(running);
      while (inFlight.size >= width()) await Promise.race(inFlight);
      check();
    },
    async drain() {
      await Promise.all(inFlight);
      check();
    },
  };
};
