import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How long the local servers keep an idle keep-alive connection open, as AWS endpoints do. */
export const IDLE_CONNECTION_MS = 60_000;

/** A server of the local stack, bound to 127.0.0.1. */
export interface RunningLocalServer {
  readonly port: number;
  readonly url: string;
  stop(): Promise<void>;
}

/** Listens on 127.0.0.1; a listen failure rejects with Node's error (EADDRINUSE, ...). */
export const listenOnLoopback = (server: Server, port: number): Promise<void> =>
  new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });

/**
 * What the rest of the stack holds of a bound server: its port, its URL, and a stop that drops open
 * keep-alive connections so closing never waits on an idle client.
 */
export const runningOnLoopback = (server: Server): RunningLocalServer => {
  // AWS endpoints keep an idle connection open about a minute; Node's server closes it after 5 s. A
  // client reusing a socket just as the server closes it gets a reset, which for a send means an
  // outcome nobody knows (never retried, never resent): the stand-ins keep connections as AWS does.
  server.keepAliveTimeout = IDLE_CONNECTION_MS;
  server.headersTimeout = IDLE_CONNECTION_MS + 1_000;
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
