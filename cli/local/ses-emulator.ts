import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sesModule from 'aws-ses-v2-local';

type StartSes = (config?: { host?: string; port?: number }) => Promise<Server>;

// The package is CommonJS with `exports.default`; under Node's ESM loader the default import is the
// whole exports object, under vitest's it may be the function itself.
const startSes = ((sesModule as unknown as { default?: StartSes }).default ??
  sesModule) as unknown as StartSes;

export interface RunningEmulator {
  readonly port: number;
  readonly url: string;
  stop(): Promise<void>;
}

/** Starts aws-ses-v2-local (SES v2 API plus its page for reading sent mail) on 127.0.0.1. */
export const startSesEmulator = async (port: number): Promise<RunningEmulator> => {
  const server = await startSes({ host: '127.0.0.1', port });
  if (!server.listening) {
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
  }
  const bound = (server.address() as AddressInfo).port;
  return {
    port: bound,
    url: `http://127.0.0.1:${bound}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
