import { createHttpApp, type HttpRoute } from '../../cli/http/app.ts';
import { type RunningHttpServer, startHttpServer } from '../../cli/http/server.ts';

/**
 * The local HTTP app with `routes` mounted beside its health probes (both report up), as `dunning dev`
 * mounts them, on a free port of 127.0.0.1.
 */
export const serveRoutes = (routes: readonly HttpRoute[]): Promise<RunningHttpServer> =>
  startHttpServer(
    createHttpApp({ probes: { store: async () => true, mail: async () => true }, extraRoutes: routes }),
    0,
  );
