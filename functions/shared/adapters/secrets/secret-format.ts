/** The webhook secrets' fields: `stripe` (Stripe's endpoint secret) and `payments` (Standard Webhooks). */
export type WebhookSecretField = 'stripe' | 'payments';

/**
 * What the stack stores until an operator puts the providers' secrets in. It is public (it is in the
 * template), so it is never used as a key: a route whose secret is still this answers 503.
 */
export const WEBHOOK_SECRET_PLACEHOLDER = 'unset: store the provider secret here';

export type SecretProblem = 'missing' | 'placeholder' | 'malformed';

const PREFIX = 'whsec_';
// Stripe's endpoint secrets are `whsec_` and 32 or more letters and digits (the Stripe CLI's are hex);
// the local stack generates base64, which Stripe's library uses as an opaque key all the same.
const STRIPE_SECRET = /^whsec_[A-Za-z0-9+/=_-]{16,}$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** The Standard Webhooks specification: the key is 24 to 64 random bytes, base64-encoded after `whsec_`. */
const STANDARD_KEY_BYTES = { min: 24, max: 64 };

/** Why a secret cannot verify anything, or undefined when it is usable. Never looks beyond the format. */
export const secretProblem = (
  field: WebhookSecretField,
  value: string | undefined,
): SecretProblem | undefined => {
  if (!value) return 'missing';
  if (value === WEBHOOK_SECRET_PLACEHOLDER) return 'placeholder';
  if (field === 'stripe') return STRIPE_SECRET.test(value) ? undefined : 'malformed';
  if (!value.startsWith(PREFIX)) return 'malformed';
  const key = value.slice(PREFIX.length);
  if (!BASE64.test(key)) return 'malformed';
  const bytes = Buffer.from(key, 'base64').length;
  return bytes >= STANDARD_KEY_BYTES.min && bytes <= STANDARD_KEY_BYTES.max ? undefined : 'malformed';
};

const EXPECTED: Record<WebhookSecretField, string> = {
  stripe: 'a Stripe endpoint secret "whsec_..."',
  payments: `"whsec_" and a base64 key of ${STANDARD_KEY_BYTES.min} to ${STANDARD_KEY_BYTES.max} bytes`,
};

/** The start-up message for a bad local variable: names it and the format, never the value. */
export const describeSecretProblem = (variable: string, field: WebhookSecretField, problem: SecretProblem) =>
  `${variable}: ${problem === 'missing' ? 'is empty' : problem === 'placeholder' ? 'is the placeholder' : 'is malformed'}; expected ${EXPECTED[field]}`;
