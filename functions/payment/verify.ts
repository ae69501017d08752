import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import Stripe from 'stripe';
import { InvalidWebhookBodyError } from '../shared/domain/payments/event.ts';

/** Stripe's default, and the documented tolerance (docs/webhooks.md): 300 seconds. */
export const STRIPE_TOLERANCE_SECONDS = 300;

/** The request is not from the provider (missing or wrong signature, stale timestamp): 401. */
export class SignatureError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'SignatureError';
  }
}

const parseJson = (rawBody: Buffer): unknown => {
  try {
    return JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw new InvalidWebhookBodyError('body is not JSON');
  }
};

/** The `t=` of a Stripe-Signature header, in epoch seconds. */
const signedAt = (header: string): number | undefined => {
  const field = header.split(',').find((part) => part.trim().startsWith('t='));
  const seconds = Number(field?.trim().slice(2));
  return Number.isSafeInteger(seconds) ? seconds : undefined;
};

/**
 * Checks `Stripe-Signature` over the raw bytes with Stripe's own code (never a re-serialised body)
 * and returns the parsed event. Stripe's library refuses only a timestamp too far in the past; one more
 * than the tolerance in the future is refused here alike, so a signature made ahead of time cannot be
 * replayed for longer. Stripe's error messages are not passed on: they may quote the header.
 */
export const verifyStripeEvent = (
  rawBody: Buffer,
  signatureHeader: string | undefined,
  secret: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): unknown => {
  if (!signatureHeader) throw new SignatureError('missing Stripe-Signature header');
  try {
    const event = Stripe.webhooks.constructEvent(rawBody, signatureHeader, secret, STRIPE_TOLERANCE_SECONDS);
    const at = signedAt(signatureHeader);
    if (at === undefined || at - nowSeconds > STRIPE_TOLERANCE_SECONDS)
      throw new SignatureError('signature or timestamp not valid');
    return event;
  } catch (error) {
    if (error instanceof SignatureError) throw error;
    if (error instanceof Stripe.errors.StripeSignatureVerificationError)
      throw new SignatureError('signature or timestamp not valid');
    if (error instanceof SyntaxError) throw new InvalidWebhookBodyError('body is not JSON');
    throw error;
  }
};

/**
 * Checks `webhook-id`, `webhook-timestamp` (5 minutes either way) and `webhook-signature` with the
 * `standardwebhooks` package, which accepts any one of several space-separated signatures (secret
 * rotation). Returns the event id and the parsed body.
 */
export const verifyStandardEvent = (
  rawBody: Buffer,
  headers: Readonly<Record<string, string | undefined>>,
  secret: string,
): { webhookId: string; body: unknown } => {
  const webhookId = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signature = headers['webhook-signature'];
  if (!webhookId || !timestamp || !signature) throw new SignatureError('missing webhook-* headers');
  try {
    new Webhook(secret).verify(
      rawBody,
      { 'webhook-id': webhookId, 'webhook-timestamp': timestamp, 'webhook-signature': signature },
      { jsonParse: false },
    );
  } catch (error) {
    if (error instanceof WebhookVerificationError)
      throw new SignatureError('signature or timestamp not valid');
    throw error;
  }
  if (webhookId.length > 200) throw new InvalidWebhookBodyError('webhook-id: too long');
  return { webhookId, body: parseJson(rawBody) };
};
