import { createServer, type Server } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import type { Hono } from 'hono';
import { listenOnLoopback, type RunningLocalServer, runningOnLoopback } from '../local/loopback-server.ts';

export type RunningHttpServer = RunningLocalServer;

/** Serves the app on 127.0.0.1; a listen failure rejects with Node's error (EADDRINUSE, ...). */
export const startHttpServer = async (app: Hono, port: number): Promise<RunningHttpServer> => {
  const server: Server = createServer(getRequestListener(app.fetch));
  await listenOnLoopback(server, port);
  return runningOnLoopback(server);
};
