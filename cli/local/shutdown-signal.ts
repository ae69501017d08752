export type StopSignal = 'SIGINT' | 'SIGTERM';

export interface ShutdownSignal {
  /** Resolves with the first SIGINT or SIGTERM, also one that arrived while the stack was starting. */
  readonly received: Promise<StopSignal>;
  dispose(): void;
}

/**
 * Ctrl-C in a terminal reaches every process of the group, and npm forwards its own copy too: a
 * repeat this soon after the first is the same request, not a user losing patience.
 */
const REPEAT_WINDOW_MS = 1_000;

/** How often an npm-started process checks that its parent still exists. */
const ORPHAN_CHECK_MS = 500;

/**
 * Catches Ctrl-C and SIGTERM so the stack can close its store cleanly. A second signal a while
 * after the first means the user will not wait: `onForce` ends the process at once.
 *
 * Under `npm start`, a SIGTERM to npm kills the shell between npm and this process and leaves it
 * orphaned; a process started by an npm script therefore also stops when its parent goes away.
 */
export const listenForShutdown = (onForce: (signal: StopSignal) => void): ShutdownSignal => {
  let firstAt: number | undefined;
  let resolveReceived: (signal: StopSignal) => void = () => {};
  const received = new Promise<StopSignal>((resolve) => {
    resolveReceived = resolve;
  });
  const handler = (signal: StopSignal) => {
    if (firstAt === undefined) {
      firstAt = Date.now();
      resolveReceived(signal);
    } else if (Date.now() - firstAt > REPEAT_WINDOW_MS) {
      onForce(signal);
    }
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);

  const parent = process.ppid;
  const orphanWatch = process.env.npm_lifecycle_event
    ? setInterval(() => {
        if (process.ppid !== parent) handler('SIGTERM');
      }, ORPHAN_CHECK_MS).unref()
    : undefined;

  return {
    received,
    dispose: () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
      if (orphanWatch) clearInterval(orphanWatch);
    },
  };
};
