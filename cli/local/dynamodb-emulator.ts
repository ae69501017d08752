import type { AddressInfo } from 'node:net';
import dynalite from 'dynalite';
import type { RunningEmulator } from './ses-emulator.ts';

/**
 * Starts dynalite on 127.0.0.1. With a path its LevelDB data survives a restart; without one it is
 * in memory (tests).
 */
export const startDynamoEmulator = async (port: number, path?: string): Promise<RunningEmulator> => {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, path });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    port: bound,
    url: `http://127.0.0.1:${bound}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        // dynalite closes its LevelDB when the server closes, so the store is flushed before exit.
        server.close(() => resolve());
      }),
  };
};
