import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'hono';
import type { MailEventLogger, MailEventReceiver } from '../../functions/mail-events/receive.ts';
import { OPT_OUT_PATH, type OptOutReceiver } from '../../functions/payment/opt-out.ts';
import type { HttpRoute } from './app.ts';

/** The local path SES events are posted to (in AWS they come through EventBridge to the Lambda). */
export const MAIL_EVENTS_PATH = '/mail-events';
const MAX_EVENT_BYTES = 256 * 1024;

/**
 * `GET`/`POST /optout` and `POST /mail-events` on the local server, answering through the very code
 * the payment Lambda (opt-out) and the mail-events Lambda use; only the transport differs.
 */
export const careRoutes = (optOut: OptOutReceiver, mailEvents: MailEventReceiver): HttpRoute[] => {
  const optOutHandler = async (c: Context) => {
    const response = await optOut({
      method: c.req.method,
      query: new URL(c.req.url).search,
      rawBody: Buffer.from(await c.req.arrayBuffer()),
    });
    return c.body(response.html, response.status, { ...response.headers });
  };
  const mailEventsHandler = async (c: Context) => {
    const raw = Buffer.from(await c.req.arrayBuffer());
    if (raw.length > MAX_EVENT_BYTES) return c.json({ error: 'payload too large' }, 413);
    let event: unknown;
    try {
      event = JSON.parse(raw.toString('utf8'));
    } catch {
      return c.json({ error: 'body is not JSON' }, 400);
    }
    const result = await mailEvents(event);
    if (!result.accepted)
      return c.json({ error: `not an SES bounce or complaint event: ${result.reason}` }, 400);
    return c.json({ received: true, ...result }, 200);
  };
  return [
    { method: 'GET', path: OPT_OUT_PATH, handler: optOutHandler },
    { method: 'POST', path: OPT_OUT_PATH, handler: optOutHandler },
    { method: 'POST', path: MAIL_EVENTS_PATH, handler: mailEventsHandler },
  ];
};

/** What `dunning dev` hands the care routes (a structural slice of `DevServices`). */
export interface LocalCareServices {
  readonly config: { readonly DUNNING_TIME_ZONE: string };
  readonly tableName: string;
  readonly documentClient: DynamoDBDocumentClient;
  readonly secrets: { readonly optOut: string };
}

type Logger = MailEventLogger;

/** The routes wired to the local store and the opt-out secret; their code loads when the stack starts. */
export const localCareRoutes = async (services: LocalCareServices, logger?: Logger): Promise<HttpRoute[]> => {
  const [
    { Logger },
    { wireCustomerCare },
    { createOptOutReceiver },
    { createMailEventReceiver },
    { loadPolicy },
  ] = await Promise.all([
    import('@aws-lambda-powertools/logger'),
    import('../../functions/shared/composition/customer-care.ts'),
    import('../../functions/payment/opt-out.ts'),
    import('../../functions/mail-events/receive.ts'),
    import('../../functions/shared/policy.ts'),
  ]);
  const log = logger ?? new Logger({ serviceName: 'dunning-care' });
  const care = wireCustomerCare({
    client: services.documentClient,
    tableName: services.tableName,
    policy: loadPolicy(),
    defaultTimeZone: services.config.DUNNING_TIME_ZONE,
  });
  const secret = services.secrets.optOut;
  return careRoutes(
    createOptOutReceiver({
      secret: async () => secret,
      companyName: loadPolicy().company.name,
      care,
      logger: log,
    }),
    createMailEventReceiver({ care, logger: log }),
  );
};
