import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import { z } from 'zod';

/** The parts of a Lambda function URL event the webhook endpoint reads (payload format 2.0). */
const functionUrlEventSchema = z.object({
  rawPath: z.string(),
  headers: z.record(z.string(), z.string()).default({}),
  body: z.string().optional(),
  isBase64Encoded: z.boolean().default(false),
  requestContext: z.object({ http: z.object({ method: z.string() }) }),
});

const json = (statusCode: number, body: unknown): APIGatewayProxyResultV2 => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/**
 * The payment Lambda behind the function URL. Webhook verification and recording arrive with issue 6;
 * until then it answers the routes it will serve with 501 and everything else as the contract says.
 */
export const handler = async (event: unknown): Promise<APIGatewayProxyResultV2> => {
  const parsed = functionUrlEventSchema.safeParse(event);
  if (!parsed.success) return json(400, { error: 'not a function URL request' });
  const { rawPath, requestContext } = parsed.data;
  if (rawPath !== '/webhooks/stripe' && rawPath !== '/webhooks/payments')
    return json(404, { error: 'not found' });
  if (requestContext.http.method !== 'POST') return json(405, { error: 'method not allowed' });
  return json(501, { error: 'webhooks are not built yet' });
};
