import { type SecretProblem, secretProblem } from '../shared/adapters/secrets/secret-format.ts';
import type { WebhookSecretSource, WebhookSecrets } from '../shared/adapters/secrets/webhook-secrets.ts';
import type { PaymentEvent, WebhookOutcome } from '../shared/domain/payments/event.ts';
import { InvalidWebhookBodyError, isIgnored, type MappedEvent } from '../shared/domain/payments/event.ts';
import type { PaymentObserver } from '../shared/domain/payments/ports.ts';
import { paymentFromStandardEvent } from '../shared/domain/payments/standard-event.ts';
import { paymentFromStripeEvent } from '../shared/domain/payments/stripe-event.ts';
import { SignatureError, verifyStandardEvent, verifyStripeEvent } from './verify.ts';
import { MAX_WEBHOOK_BODY_BYTES, WEBHOOK_PATHS, type WebhookProvider } from './webhook-paths.ts';

/** The request as either host hands it over: header names lower case, the body's exact bytes. */
export interface WebhookRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly rawBody: Buffer;
}

export interface WebhookResponse {
  readonly status: 200 | 400 | 401 | 404 | 405 | 413 | 500 | 503;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body: Readonly<Record<string, unknown>>;
}

export { MAX_WEBHOOK_BODY_BYTES, WEBHOOK_PATHS } from './webhook-paths.ts';

/** Log lines besides the per-event outcome; attributes never hold a body, signature or secret. */
export interface WebhookLogger {
  warn(message: string, attributes: Record<string, string>): void;
  /** Configuration errors an operator must fix; hosts without it get them as warnings. */
  error?(message: string, attributes: Record<string, string>): void;
}

export interface WebhookReceiverDeps {
  readonly secrets: WebhookSecretSource;
  readonly record: (event: PaymentEvent) => Promise<WebhookOutcome>;
  readonly observe: PaymentObserver;
  readonly logger: WebhookLogger;
  /** How an operator finds each secret in the log line: the variable locally, the secret's field in AWS. */
  readonly secretNames?: Readonly<Record<keyof WebhookSecrets, string>>;
}

type Provider = WebhookProvider;

const providerOf = (path: string): Provider | undefined =>
  (Object.keys(WEBHOOK_PATHS) as Provider[]).find((provider) => WEBHOOK_PATHS[provider] === path);

const reply = (status: WebhookResponse['status'], body: Record<string, unknown>): WebhookResponse => ({
  status,
  body,
});

/** The secret each route verifies with: `stripe` for Stripe, `payments` for Standard Webhooks. */
const SECRET_FIELD = { stripe: 'stripe', payments: 'payments' } as const satisfies Record<
  Provider,
  keyof WebhookSecrets
>;
const PROVIDER_NAME: Record<Provider, string> = {
  stripe: 'Stripe webhook secret',
  payments: 'Standard Webhooks secret',
};

const mapEvent = (provider: Provider, request: WebhookRequest, secret: string): MappedEvent => {
  if (provider === 'stripe')
    return paymentFromStripeEvent(
      verifyStripeEvent(request.rawBody, request.headers['stripe-signature'], secret),
    );
  const { webhookId, body } = verifyStandardEvent(request.rawBody, request.headers, secret);
  return paymentFromStandardEvent(webhookId, body);
};

/** The provider's secret, checked usable; a response when it cannot be had (503, the value never logged). */
const secretOf = async (
  deps: WebhookReceiverDeps,
  provider: Provider,
): Promise<{ secret: string } | { response: WebhookResponse }> => {
  let secrets: WebhookSecrets;
  try {
    secrets = await deps.secrets();
  } catch (error) {
    deps.logger.warn('webhook secrets unavailable', { provider, error: (error as Error).name });
    return { response: reply(503, { error: 'temporarily unavailable' }) };
  }
  const field = SECRET_FIELD[provider];
  const problem: SecretProblem | undefined = secretProblem(field, secrets[field]);
  if (problem) {
    // Only this route stops; the other provider keeps working. The value is never logged.
    const attributes = { provider, secret: deps.secretNames?.[field] ?? field, problem };
    (deps.logger.error ?? deps.logger.warn).call(deps.logger, 'webhook secret not configured', attributes);
    return { response: reply(503, { error: `${PROVIDER_NAME[provider]} not configured` }) };
  }
  return { secret: secrets[field] };
};

/** The event the signed body carries; a response when the signature or the body is refused. */
const verifiedEvent = (
  deps: WebhookReceiverDeps,
  provider: Provider,
  request: WebhookRequest,
  secret: string,
): { event: MappedEvent } | { response: WebhookResponse } => {
  try {
    return { event: mapEvent(provider, request, secret) };
  } catch (error) {
    if (error instanceof SignatureError) {
      deps.logger.warn('webhook rejected', { provider, status: '401', reason: error.reason });
      return { response: reply(401, { error: 'signature verification failed' }) };
    }
    if (error instanceof InvalidWebhookBodyError) {
      deps.logger.warn('webhook rejected', { provider, status: '400', reason: error.reason });
      return { response: reply(400, { error: `invalid body: ${error.reason}` }) };
    }
    deps.logger.warn('webhook verification failed unexpectedly', { provider, error: (error as Error).name });
    return { response: reply(500, { error: 'internal error' }) };
  }
};

/** Records a verified event; a store failure answers 503, so the provider delivers it again. */
const recordEvent = async (
  deps: WebhookReceiverDeps,
  provider: Provider,
  event: MappedEvent,
): Promise<WebhookResponse> => {
  if (isIgnored(event)) {
    deps.observe({
      eventId: event.eventId,
      // Only Stripe's mapping ignores events (types dunning does not act on).
      provider: 'stripe',
      type: event.type,
      outcome: 'ignored',
      reason: event.reason,
    });
    return reply(200, { received: true, outcome: 'ignored' });
  }
  try {
    const outcome = await deps.record(event);
    deps.observe({
      eventId: event.eventId,
      provider: event.provider,
      type: event.type,
      outcome,
      invoiceId: event.invoiceId,
    });
    return reply(200, { received: true, outcome });
  } catch (error) {
    deps.logger.warn('webhook not recorded', {
      provider,
      eventId: event.eventId,
      error: (error as Error).name,
    });
    return reply(503, { error: 'temporarily unavailable' });
  }
};

/**
 * `POST /webhooks/stripe` and `POST /webhooks/payments` (docs/webhooks.md), the same code behind
 * the Lambda function URL and the local server. Checks run cheapest first: path (404), method
 * (405), size (413), signature (401), body (400); only then is the event recorded, and only once it
 * is recorded does the answer say 2xx. A store or secret outage answers 503 so the provider retries;
 * a malformed request never gets a 5xx, and no answer carries an error's internals.
 */
export const createWebhookReceiver =
  (deps: WebhookReceiverDeps) =>
  async (request: WebhookRequest): Promise<WebhookResponse> => {
    const provider = providerOf(request.path);
    if (!provider) return reply(404, { error: 'not found' });
    if (request.method.toUpperCase() !== 'POST')
      return { ...reply(405, { error: 'method not allowed' }), headers: { allow: 'POST' } };
    if (request.rawBody.length > MAX_WEBHOOK_BODY_BYTES) return reply(413, { error: 'payload too large' });
    const secret = await secretOf(deps, provider);
    if ('response' in secret) return secret.response;
    const verified = verifiedEvent(deps, provider, request, secret.secret);
    if ('response' in verified) return verified.response;
    return recordEvent(deps, provider, verified.event);
  };

export type WebhookReceiver = ReturnType<typeof createWebhookReceiver>;
