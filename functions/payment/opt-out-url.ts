import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import * as z from '../shared/validation.ts';
import { functionUrlEventSchema } from './function-url.ts';
import type { OptOutReceiver, OptOutRequest, OptOutResponse } from './opt-out.ts';

/** The function URL event with the query string the opt-out link carries. */
const optOutEventSchema = z.extend(functionUrlEventSchema, { rawQueryString: z._default(z.string(), '') });

export const toOptOutRequest = (event: z.infer<typeof optOutEventSchema>): OptOutRequest => ({
  method: event.requestContext.http.method,
  query: event.rawQueryString,
  rawBody:
    event.body === undefined
      ? Buffer.alloc(0)
      : Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8'),
});

export const toPageResult = (response: OptOutResponse): APIGatewayProxyResultV2 => ({
  statusCode: response.status,
  headers: { ...response.headers },
  body: response.html,
});

/** Answers a function URL request for the opt-out path; a malformed event is a 400 like any other. */
export const handleOptOutEvent = async (
  receive: OptOutReceiver,
  event: unknown,
): Promise<APIGatewayProxyResultV2 | undefined> => {
  const parsed = optOutEventSchema.safeParse(event);
  if (!parsed.success) return undefined;
  return toPageResult(await receive(toOptOutRequest(parsed.data)));
};
