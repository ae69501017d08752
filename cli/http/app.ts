import { type Context, type Handler, Hono, type MiddlewareHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { isUserError, NotFoundError } from '../../functions/shared/errors.ts';
import { type HealthProbes, healthReport } from './health.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * One route mounted on the local HTTP server. This is the extension point for later capabilities:
 * the payments engineer's `cli/http/webhook-routes.ts` returns `HttpRoute[]` for
 * `POST /webhooks/stripe` and `POST /webhooks/payments`, and `dunning dev` passes them as
 * `extraRoutes` (through `DevHooks.httpRoutes` in `cli/local/dev-stack.ts`). Every path declared
 * here answers 405 (with `Allow`) to the methods it does not list; `middleware` runs before
 * `handler` (e.g. Hono's `bodyLimit` for 413).
 */
export interface HttpRoute {
  readonly method: HttpMethod;
  readonly path: string;
  readonly handler: Handler;
  readonly middleware?: readonly MiddlewareHandler[];
}

export interface HttpAppOptions {
  readonly probes: HealthProbes;
  readonly extraRoutes?: readonly HttpRoute[];
  /** Where an unexpected error is reported (one line, no stack); the client only sees a 500. */
  readonly onUnexpectedError?: (error: unknown, context: Context) => void;
}

const errorBody = (c: Context, status: ContentfulStatusCode, error: string) => c.json({ error }, status);

/**
 * The local HTTP server's app: `GET /health`, the extra routes, JSON 404 and 405 answers, and one
 * place that maps errors to status codes. A response body never carries a stack or an error's
 * internals: user errors give their message, anything else a fixed text.
 */
export const createHttpApp = (options: HttpAppOptions): Hono => {
  const app = new Hono();
  const routes: HttpRoute[] = [
    {
      method: 'GET',
      path: '/health',
      handler: async (c) => {
        const report = await healthReport(options.probes);
        return c.json(report, report.status === 'ok' ? 200 : 503);
      },
    },
    ...(options.extraRoutes ?? []),
  ];

  for (const route of routes) {
    const handlers: Handler[] = [...(route.middleware ?? []), route.handler];
    app.on(route.method, [route.path], ...handlers);
  }

  // Registered after every real route, so it only answers the methods no route took.
  const methodsByPath = new Map<string, Set<string>>();
  for (const route of routes) {
    const methods = methodsByPath.get(route.path) ?? new Set<string>();
    methods.add(route.method);
    if (route.method === 'GET') methods.add('HEAD');
    methodsByPath.set(route.path, methods);
  }
  for (const [path, methods] of methodsByPath) {
    const allowed = [...methods];
    app.all(path, (c) => {
      c.header('Allow', allowed.join(', '));
      return errorBody(
        c,
        405,
        `method ${c.req.method} not allowed on ${path}; allowed: ${allowed.join(', ')}`,
      );
    });
  }

  app.notFound((c) => errorBody(c, 404, `no route for ${c.req.method} ${c.req.path}`));
  app.onError((error, c) => {
    if (error instanceof NotFoundError) return errorBody(c, 404, error.message);
    if (isUserError(error)) return errorBody(c, 400, error.message);
    options.onUnexpectedError?.(error, c);
    return errorBody(c, 500, 'internal error');
  });
  return app;
};
