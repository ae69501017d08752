/** How long a stop waits for a seed or run under way before closing the store under it. */
const IN_FLIGHT_GRACE_MS = 2_500;

/**
 * What the local stack must close when it stops, newest first. A failed close must not keep the store
 * or the data dir's lock open, so the rest are closed all the same.
 */
export class Cleanups {
  private readonly pending: (() => Promise<void> | void)[] = [];

  push(cleanup: () => Promise<void> | void): void {
    this.pending.push(cleanup);
  }

  async closeAll(): Promise<void> {
    for (const cleanup of this.pending.splice(0).reverse()) {
      try {
        await cleanup();
      } catch {
        // Keep closing the rest.
      }
    }
  }
}

/**
 * Work the stack runs on its own (seed, runs): a stop lets it finish for a moment before the store
 * closes under it, and a step cut short by the stop is not reported as a failure.
 */
export class WorkInFlight {
  private readonly running = new Set<Promise<unknown>>();
  private stoppingNow = false;

  get stopping(): boolean {
    return this.stoppingNow;
  }

  /** Runs one step; false when it failed (told to `problem`) or the stack is stopping. */
  async step(name: string, work: () => Promise<void>, problem: (text: string) => void): Promise<boolean> {
    if (this.stoppingNow) return false;
    const running = work();
    this.running.add(running);
    try {
      await running;
      return true;
    } catch (error) {
      if (!this.stoppingNow)
        problem(`${name} failed: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    } finally {
      this.running.delete(running);
    }
  }

  /** From now on no step starts; waits a moment for those under way. */
  async drain(): Promise<void> {
    this.stoppingNow = true;
    const settled = Promise.allSettled([...this.running]);
    await Promise.race([settled, new Promise((resolve) => setTimeout(resolve, IN_FLIGHT_GRACE_MS).unref())]);
  }
}
