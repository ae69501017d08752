import type { Context } from 'hono';
import type { MailEventLogger, MailEventReceiver } from '../../functions/mail-events/receive.ts';
import { OPT_OUT_PATH, type OptOutReceiver } from '../../functions/payment/opt-out.ts';
import type { Composition } from '../../functions/shared/composition/root.ts';
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

type Logger = MailEventLogger;

/**
 * The routes on the composition's store, checking opt-out links with the local secret; their code
 * loads when the stack starts.
 */
export const localCareRoutes = async (
  app: Composition,
  secrets: { readonly optOut: string },
  logger?: Logger,
): Promise<HttpRoute[]> => {
  const [{ Logger }, { buildCustomerCare }, { createOptOutReceiver }, { createMailEventReceiver }] =
    await Promise.all([
      import('@aws-lambda-powertools/logger'),
      import('../../functions/shared/composition/customer-care.ts'),
      import('../../functions/payment/opt-out.ts'),
      import('../../functions/mail-events/receive.ts'),
    ]);
  const log = logger ?? new Logger({ serviceName: 'dunning-care' });
  const care = buildCustomerCare(app);
  const secret = secrets.optOut;
  return careRoutes(
    createOptOutReceiver({
      secret: async () => secret,
      companyName: app.policy.company.name,
      care,
      logger: log,
    }),
    createMailEventReceiver({ care, logger: log }),
  );
};
