import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import type { Hono } from 'hono';

export interface RunningHttpServer {
  readonly port: number;
  readonly url: string;
  stop(): Promise<void>;
}

/** Serves the app on 127.0.0.1; a listen failure rejects with Node's error (EADDRINUSE, ...). */
export const startHttpServer = async (app: Hono, port: number): Promise<RunningHttpServer> => {
  const server: Server = createServer(getRequestListener(app.fetch));
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
        server.close(() => resolve());
      }),
  };
};
