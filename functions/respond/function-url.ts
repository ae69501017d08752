import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import { functionUrlEventSchema } from '../payment/function-url.ts';
import { messagePage } from '../shared/domain/answers/page.ts';
import type { Policy } from '../shared/domain/policy.ts';
import * as z from '../shared/validation.ts';
import type { RespondReceiver, RespondResponse } from './receive.ts';

/** A function URL event (payload 2.0) with the query string the answer link carries. */
const respondEventSchema = z.extend(functionUrlEventSchema, {
  rawQueryString: z._default(z.string(), ''),
  requestContext: z.object({
    http: z.object({ method: z.string() }),
    domainName: z.optional(z.string().check(z.regex(/^[A-Za-z0-9.-]{1,253}$/))),
  }),
});

const toResult = (response: RespondResponse): APIGatewayProxyResultV2 => ({
  statusCode: response.status,
  headers: { ...response.headers },
  body: response.html,
});

/**
 * The respond function's handler: the function URL event in, the page out. An event that is not a
 * function URL request gets the refused-link page (403), never an error.
 */
export const createRespondHandler =
  (receive: RespondReceiver, policy: Policy) =>
  async (event: unknown): Promise<APIGatewayProxyResultV2> => {
    const parsed = respondEventSchema.safeParse(event);
    if (!parsed.success)
      return toResult({
        status: 400,
        headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
        html: messagePage('en', policy, 'invalidTitle', 'invalid'),
      });
    const { data } = parsed;
    const headers = Object.fromEntries(
      Object.entries(data.headers).map(([name, value]) => [name.toLowerCase(), value]),
    );
    return toResult(
      await receive({
        method: data.requestContext.http.method,
        query: data.rawQueryString,
        ...(headers['accept-language'] ? { acceptLanguage: headers['accept-language'] } : {}),
        ...(data.requestContext.domainName ? { origin: `https://${data.requestContext.domainName}` } : {}),
        rawBody:
          data.body === undefined
            ? Buffer.alloc(0)
            : Buffer.from(data.body, data.isBase64Encoded ? 'base64' : 'utf8'),
      }),
    );
  };
