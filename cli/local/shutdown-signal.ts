export type StopSignal = 'SIGINT' | 'SIGTERM';

export interface ShutdownSignal {
  /** Resolves with the first SIGINT or SIGTERM, also one that arrived while the stack was starting. */
  readonly received: Promise<StopSignal>;
  dispose(): void;
}

/**
 * Catches Ctrl-C and SIGTERM so the stack can close its store cleanly. A second signal while
 * stopping means the user will not wait: `onForce` ends the process at once.
 */
export const listenForShutdown = (onForce: (signal: StopSignal) => void): ShutdownSignal => {
  let first: StopSignal | undefined;
  let resolveReceived: (signal: StopSignal) => void = () => {};
  const received = new Promise<StopSignal>((resolve) => {
    resolveReceived = resolve;
  });
  const handler = (signal: StopSignal) => {
    if (first) {
      onForce(signal);
      return;
    }
    first = signal;
    resolveReceived(signal);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    received,
    dispose: () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
};
