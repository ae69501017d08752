import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { OutcomeLogger } from '../../functions/payment/observability.ts';
import type {
  WebhookLogger,
  WebhookRequest,
  WebhookResponse,
} from '../../functions/payment/receive-webhook.ts';
import { MAX_WEBHOOK_BODY_BYTES, WEBHOOK_PATHS } from '../../functions/payment/webhook-paths.ts';
import type { WebhookSecrets } from '../../functions/shared/adapters/secrets/webhook-secrets.ts';
import type { Composition } from '../../functions/shared/composition/root.ts';
import type { HttpRoute } from './app.ts';

type Receive = (request: WebhookRequest) => Promise<WebhookResponse>;

/**
 * The webhook endpoints on the local server, answering through the very receiver the payment Lambda
 * uses. Only the transport differs: a body over 256 KiB is turned away with 413 before it is read,
 * from its Content-Length, or while streaming (Hono's bodyLimit) when there is none.
 */
export const webhookRoutes = (receive: Receive): HttpRoute[] => {
  const handler = async (c: Context) => {
    const response = await receive({
      method: c.req.method,
      path: c.req.path,
      headers: c.req.header(),
      rawBody: Buffer.from(await c.req.arrayBuffer()),
    });
    return c.json(response.body, response.status, { ...response.headers });
  };
  // The rest of the body is never read: close the connection so the client cannot reuse a socket
  // still carrying it.
  const tooLarge = (c: Context) => c.json({ error: 'payload too large' }, 413, { connection: 'close' });
  const streamed = bodyLimit({ maxSize: MAX_WEBHOOK_BODY_BYTES, onError: tooLarge });
  // A declared length is judged from the header alone, as bodyLimit does, but without touching the raw
  // Request: the node server then reads the body straight off the socket instead of building a web
  // Request and stream for it, about 0.1 ms of CPU less per request.
  const limit: MiddlewareHandler = (c, next) => {
    const declared = c.req.header('content-length');
    if (declared === undefined || c.req.header('transfer-encoding') !== undefined) return streamed(c, next);
    return Number.parseInt(declared, 10) > MAX_WEBHOOK_BODY_BYTES ? Promise.resolve(tooLarge(c)) : next();
  };
  return Object.values(WEBHOOK_PATHS).map((path) => ({ method: 'POST', path, handler, middleware: [limit] }));
};

/** The signing secrets the webhook routes check; the composition does not hold secrets. */
export type WebhookSigningSecrets = Pick<WebhookSecrets, 'stripe' | 'payments'>;

const buildLocalReceiver = async (
  app: Composition,
  secrets: WebhookSigningSecrets,
  logger?: OutcomeLogger & WebhookLogger,
): Promise<Receive> => {
  const [{ Logger }, { outcomeObserver }, { createWebhookReceiver }, { buildPaymentRecorder }] =
    await Promise.all([
      import('@aws-lambda-powertools/logger'),
      import('../../functions/payment/observability.ts'),
      import('../../functions/payment/receive-webhook.ts'),
      import('../../functions/shared/composition/payments.ts'),
    ]);
  // Powertools Logger outside Lambda: the same JSON lines as the payment function writes.
  const log = logger ?? new Logger({ serviceName: 'dunning-payments' });
  const observe = outcomeObserver(log);
  const recorder = buildPaymentRecorder(app, observe);
  const keys = { stripe: secrets.stripe, payments: secrets.payments };
  return createWebhookReceiver({
    secrets: async () => keys,
    record: (event) => recorder.record(event),
    observe,
    logger: log,
    secretNames: { stripe: 'STRIPE_WEBHOOK_SECRET', payments: 'PAYMENTS_WEBHOOK_SECRET' },
  });
};

/**
 * The routes `dunning dev` mounts, on the composition's store with the local secrets. Stripe,
 * Powertools and the payment code load when the stack starts, not when this module is imported, so
 * other commands start fast.
 */
export const localWebhookRoutes = (
  app: Composition,
  secrets: WebhookSigningSecrets,
  logger?: OutcomeLogger & WebhookLogger,
): HttpRoute[] => {
  const receiver = buildLocalReceiver(app, secrets, logger);
  // A failure surfaces on the first request (a 500 without internals), not as an unhandled rejection.
  receiver.catch(() => undefined);
  return webhookRoutes(async (request) => (await receiver)(request));
};
