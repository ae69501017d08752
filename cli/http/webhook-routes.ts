import { Logger } from '@aws-lambda-powertools/logger';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { outcomeObserver } from '../../functions/payment/observability.ts';
import {
  createWebhookReceiver,
  MAX_WEBHOOK_BODY_BYTES,
  WEBHOOK_PATHS,
  type WebhookReceiver,
} from '../../functions/payment/receive-webhook.ts';
import { createPaymentRecorder } from '../../functions/shared/adapters/dynamodb/payment-recorder.ts';
import type { WebhookSecretSource } from '../../functions/shared/adapters/secrets/webhook-secrets.ts';
import type { Policy } from '../../functions/shared/domain/policy.ts';
import type { HttpRoute } from './app.ts';

/**
 * The webhook endpoints on the local server, answering through the very receiver the payment Lambda
 * uses. Only the transport differs: Hono's bodyLimit turns a body over 256 KiB away with 413 from
 * its Content-Length, or while streaming when there is none, before the whole body is read.
 */
export const webhookRoutes = (receive: WebhookReceiver): HttpRoute[] => {
  const handler = async (c: Context) => {
    const response = await receive({
      method: c.req.method,
      path: c.req.path,
      headers: Object.fromEntries(c.req.raw.headers),
      rawBody: Buffer.from(await c.req.arrayBuffer()),
    });
    for (const [name, value] of Object.entries(response.headers ?? {})) c.header(name, value);
    return c.json(response.body, response.status);
  };
  const limit = bodyLimit({
    maxSize: MAX_WEBHOOK_BODY_BYTES,
    // The rest of the body is never read: close the connection so the client cannot reuse a socket
    // still carrying it.
    onError: (c) => c.json({ error: 'payload too large' }, 413, { connection: 'close' }),
  });
  return Object.values(WEBHOOK_PATHS).map((path) => ({ method: 'POST', path, handler, middleware: [limit] }));
};

export interface LocalWebhookOptions {
  readonly documentClient: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly policy: Policy;
  readonly defaultTimeZone: string;
  readonly secrets: WebhookSecretSource;
  /** Powertools Logger by default: the same JSON lines as the Lambda writes. */
  readonly logger?: Logger;
}

/** What `dunning dev` mounts: the webhook routes wired to the local store and the env secrets. */
export const localWebhookRoutes = (options: LocalWebhookOptions): HttpRoute[] => {
  const logger = options.logger ?? new Logger({ serviceName: 'dunning-payments' });
  const observe = outcomeObserver(logger);
  const recorder = createPaymentRecorder({
    documentClient: options.documentClient,
    tableName: options.tableName,
    policy: options.policy,
    defaultTimeZone: options.defaultTimeZone,
    observe,
  });
  return webhookRoutes(
    createWebhookReceiver({
      secrets: options.secrets,
      record: (event) => recorder.record(event),
      observe,
      logger,
    }),
  );
};
