import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The token an opt-out link carries: HMAC-SHA256 of the customer id under the deployment's opt-out
 * secret, base64url. Only someone holding a reminder to that customer has it, so nobody can opt
 * another customer out; it never expires, since a link in an old email must keep working.
 */
export const optOutToken = (secret: string, customerId: string): string =>
  createHmac('sha256', secret).update(customerId, 'utf8').digest('base64url');

/** Constant-time check of a presented token against the one for this customer. */
export const isValidOptOutToken = (
  secret: string,
  customerId: string,
  token: string | undefined,
): boolean => {
  if (!token || customerId.length === 0) return false;
  const expected = Buffer.from(optOutToken(secret, customerId), 'utf8');
  const presented = Buffer.from(token, 'utf8');
  return presented.length === expected.length && timingSafeEqual(presented, expected);
};

/** The one-click opt-out link (List-Unsubscribe and the email's footer). */
/** `language` picks the page's language only; the token binds the link to the customer alone. */
export const optOutLink = (
  publicUrl: string,
  secret: string,
  customerId: string,
  language?: string,
): string =>
  `${publicUrl.replace(/\/+$/, '')}/optout?customer=${encodeURIComponent(customerId)}&token=${optOutToken(secret, customerId)}${
    language ? `&lang=${encodeURIComponent(language)}` : ''
  }`;
