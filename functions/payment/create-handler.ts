import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import { functionUrlEventSchema, toFunctionUrlResult, toWebhookRequest } from './function-url.ts';
import { OPT_OUT_PATH, type OptOutReceiver } from './opt-out.ts';
import { handleOptOutEvent } from './opt-out-url.ts';
import type { WebhookReceiver } from './receive-webhook.ts';

export interface PaymentHandlerDeps {
  readonly receive: WebhookReceiver;
  /** `GET`/`POST /optout`, the one-click opt-out link of the reminders (RFC 8058). */
  readonly optOut?: OptOutReceiver;
  /** After each invocation, e.g. publishing the buffered metrics. */
  readonly flush?: () => void;
}

/** The function URL handler around the shared webhook receiver: parse, receive, answer. */
export const createPaymentHandler =
  (deps: PaymentHandlerDeps) =>
  async (event: unknown): Promise<APIGatewayProxyResultV2> => {
    try {
      const optOut =
        deps.optOut && (event as { rawPath?: unknown } | null)?.rawPath === OPT_OUT_PATH
          ? await handleOptOutEvent(deps.optOut, event)
          : undefined;
      if (optOut) return optOut;
      const parsed = functionUrlEventSchema.safeParse(event);
      if (!parsed.success)
        return toFunctionUrlResult({ status: 400, body: { error: 'not a function URL request' } });
      return toFunctionUrlResult(await deps.receive(toWebhookRequest(parsed.data)));
    } finally {
      deps.flush?.();
    }
  };
