import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import { functionUrlEventSchema, toFunctionUrlResult, toWebhookRequest } from './function-url.ts';
import type { WebhookReceiver } from './receive-webhook.ts';

export interface PaymentHandlerDeps {
  readonly receive: WebhookReceiver;
  /** After each invocation, e.g. publishing the buffered metrics. */
  readonly flush?: () => void;
}

/** The function URL handler around the shared webhook receiver: parse, receive, answer. */
export const createPaymentHandler =
  (deps: PaymentHandlerDeps) =>
  async (event: unknown): Promise<APIGatewayProxyResultV2> => {
    try {
      const parsed = functionUrlEventSchema.safeParse(event);
      if (!parsed.success)
        return toFunctionUrlResult({ status: 400, body: { error: 'not a function URL request' } });
      return toFunctionUrlResult(await deps.receive(toWebhookRequest(parsed.data)));
    } finally {
      deps.flush?.();
    }
  };
