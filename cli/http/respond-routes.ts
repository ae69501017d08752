import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'hono';
import { RESPOND_PATH, type RespondLogger, type RespondReceiver } from '../../functions/respond/receive.ts';
import type { ServiceEndpoint } from '../../functions/shared/adapters/endpoints.ts';
import type { LocalConfig } from '../../functions/shared/config.ts';
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

/** What `dunning dev` hands the answer routes (a structural slice of `DevServices`). */
export interface LocalRespondServices {
  readonly config: Pick<
    LocalConfig,
    'DUNNING_TIME_ZONE' | 'DUNNING_HTTP_PORT' | 'DUNNING_PAYMENT_URL' | 'DUNNING_FROM'
  >;
  readonly tableName: string;
  readonly documentClient: DynamoDBDocumentClient;
  readonly sesEndpoint: ServiceEndpoint;
  readonly secrets: { readonly answers: string };
}

/** The routes wired to the local store, the mail emulator and the data dir's answer-link key. */
export const localRespondRoutes = async (
  services: LocalRespondServices,
  logger?: RespondLogger,
): Promise<HttpRoute[]> => {
  const [{ Logger }, { createRespond }, { createSendingClient }, { SesMailer }, { loadPolicy }] =
    await Promise.all([
      import('@aws-lambda-powertools/logger'),
      import('../../functions/respond/compose.ts'),
      import('../../functions/shared/adapters/ses/client.ts'),
      import('../../functions/shared/adapters/ses/mailer.ts'),
      import('../../functions/shared/policy.ts'),
    ]);
  const { config } = services;
  const key = services.secrets.answers;
  return respondRoutes(
    createRespond({
      documentClient: services.documentClient,
      tableName: services.tableName,
      // The run's sending client: no SDK retries, so a confirmation whose send is unknown never goes twice.
      mailer: new SesMailer(createSendingClient(services.sesEndpoint), { from: config.DUNNING_FROM }),
      policy: loadPolicy(),
      linkKey: async () => key,
      publicUrl: `http://127.0.0.1:${config.DUNNING_HTTP_PORT}`,
      paymentUrlTemplate: config.DUNNING_PAYMENT_URL,
      defaultTimeZone: config.DUNNING_TIME_ZONE,
      logger: logger ?? new Logger({ serviceName: 'dunning-respond' }),
    }),
  );
};
