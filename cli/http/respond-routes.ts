import type { Context } from 'hono';
import { RESPOND_PATH, type RespondLogger, type RespondReceiver } from '../../functions/respond/receive.ts';
import type { Composition } from '../../functions/shared/composition/root.ts';
import type { HttpRoute } from './app.ts';

/** `GET`/`POST /respond` on the local server, answering through the respond function's own code. */
export const respondRoutes = (receive: RespondReceiver): HttpRoute[] => {
  const handler = async (c: Context) => {
    const url = new URL(c.req.url);
    const response = await receive({
      method: c.req.method,
      query: url.search,
      origin: url.origin,
      ...(c.req.header('accept-language') ? { acceptLanguage: c.req.header('accept-language') } : {}),
      rawBody: Buffer.from(await c.req.arrayBuffer()),
    });
    return c.body(response.html, response.status, { ...response.headers });
  };
  return [
    { method: 'GET', path: RESPOND_PATH, handler },
    { method: 'POST', path: RESPOND_PATH, handler },
  ];
};

/**
 * The routes on the composition's store and mail service, checking answer links with the data dir's
 * key; their answers link back to the local HTTP server (the local settings' public URL).
 */
export const localRespondRoutes = async (
  app: Composition,
  secrets: { readonly answers: string },
  logger?: RespondLogger,
): Promise<HttpRoute[]> => {
  const [{ Logger }, { buildRespond }] = await Promise.all([
    import('@aws-lambda-powertools/logger'),
    import('../../functions/shared/composition/respond.ts'),
  ]);
  const key = secrets.answers;
  return respondRoutes(
    buildRespond(app, {
      linkKey: async () => key,
      logger: logger ?? new Logger({ serviceName: 'dunning-respond' }),
    }),
  );
};
