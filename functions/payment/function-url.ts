import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import * as z from '../shared/validation.ts';
import type { WebhookRequest, WebhookResponse } from './receive-webhook.ts';

/** The parts of a Lambda function URL event (payload format 2.0) the webhook endpoint reads. */
export const functionUrlEventSchema = z.object({
  rawPath: z.string(),
  headers: z._default(z.record(z.string(), z.string()), {}),
  body: z.optional(z.string()),
  isBase64Encoded: z._default(z.boolean(), false),
  requestContext: z.object({ http: z.object({ method: z.string() }) }),
});
export type FunctionUrlEvent = z.infer<typeof functionUrlEventSchema>;

/** Function URLs lower-case header names already; doing it again costs nothing and keeps tests honest. */
export const toWebhookRequest = (event: FunctionUrlEvent): WebhookRequest => ({
  method: event.requestContext.http.method,
  path: event.rawPath,
  headers: Object.fromEntries(
    Object.entries(event.headers).map(([name, value]) => [name.toLowerCase(), value]),
  ),
  rawBody:
    event.body === undefined
      ? Buffer.alloc(0)
      : Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8'),
});

export const toFunctionUrlResult = (response: WebhookResponse): APIGatewayProxyResultV2 => ({
  statusCode: response.status,
  headers: { 'content-type': 'application/json', ...response.headers },
  body: JSON.stringify(response.body),
});
