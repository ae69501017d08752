import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The token of a reminder's answer link: `v1.<payload>.<signature>`, the payload base64url JSON of
 * the customer, the email's invoices and the expiry, the signature HMAC-SHA256 of `v1.<payload>`
 * under the deployment's answer-link key. Stateless, so sending a reminder writes nothing more;
 * bound to that email's invoices, so a link never shows or changes another invoice.
 */
export interface AnswerLink {
  readonly customerId: string;
  readonly invoiceIds: readonly string[];
  /** Epoch seconds after which the link answers 403. */
  readonly expiresAt: number;
  /** Names the link for the per-link answer limit: a prefix of its signature. */
  readonly linkId: string;
  /**
   * The language the customer reads (`de`), so a page that cannot reach the store still speaks it.
   * Links signed before it existed have none.
   */
  readonly language?: string;
}

export type LinkCheck =
  | { readonly ok: true; readonly link: AnswerLink }
  | { readonly ok: false; readonly reason: 'malformed' | 'signature' | 'expired' };

const VERSION = 'v1';
/** A BCP 47 primary language subtag; anything else in a signed link is ignored, never shown. */
const LANGUAGE = /^[a-z]{2,3}$/;
/** Base64url of SHA-256 is 43 characters; anything longer or shorter is not ours. */
const SIGNATURE_LENGTH = 43;
/** Far above any real link (a URL stays usable below ~8 KB); refuses junk before any work. */
export const MAX_TOKEN_LENGTH = 6000;

const sign = (key: string, signed: string): string =>
  createHmac('sha256', key).update(signed, 'utf8').digest('base64url');

/** The primary language of a customer's locale (`de-CH` gives `de`), or none for a tag that does not parse. */
const linkLanguage = (locale: string): string | undefined => {
  try {
    const { language } = new Intl.Locale(locale);
    return LANGUAGE.test(language) ? language : undefined;
  } catch {
    return undefined;
  }
};

export const signAnswerLink = (
  key: string,
  link: { customerId: string; invoiceIds: readonly string[]; expiresAt: number; locale?: string },
): string => {
  const language = link.locale === undefined ? undefined : linkLanguage(link.locale);
  const payload = Buffer.from(
    JSON.stringify({
      c: link.customerId,
      i: link.invoiceIds,
      x: link.expiresAt,
      ...(language ? { l: language } : {}),
    }),
    'utf8',
  ).toString('base64url');
  const signed = `${VERSION}.${payload}`;
  return `${signed}.${sign(key, signed)}`;
};

const isStringList = (value: unknown): value is string[] =>
  Array.isArray(value) &&
  value.length > 0 &&
  value.every((entry) => typeof entry === 'string' && entry.length > 0);

/**
 * Checks a presented token: signature first (constant time), then the payload's shape, then the
 * clock. An expired link is told apart only after its signature holds, so nothing is revealed about
 * a forged one.
 */
export const verifyAnswerLink = (key: string, token: string | undefined, now: Date): LinkCheck => {
  if (!token || token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: 'malformed' };
  const parts = token.split('.');
  const [version, payload, signature] = parts;
  if (parts.length !== 3 || version !== VERSION || !payload || signature?.length !== SIGNATURE_LENGTH)
    return { ok: false, reason: 'malformed' };
  const expected = Buffer.from(sign(key, `${version}.${payload}`), 'utf8');
  const presented = Buffer.from(signature, 'utf8');
  if (presented.length !== expected.length || !timingSafeEqual(presented, expected))
    return { ok: false, reason: 'signature' };
  let body: { c?: unknown; i?: unknown; x?: unknown; l?: unknown };
  try {
    body = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (typeof body.c !== 'string' || !body.c || !isStringList(body.i) || typeof body.x !== 'number')
    return { ok: false, reason: 'malformed' };
  if (now.getTime() >= body.x * 1000) return { ok: false, reason: 'expired' };
  return {
    ok: true,
    link: {
      customerId: body.c,
      invoiceIds: [...new Set(body.i)],
      expiresAt: body.x,
      linkId: signature.slice(0, 22),
      ...(typeof body.l === 'string' && LANGUAGE.test(body.l) ? { language: body.l } : {}),
    },
  };
};

/** The expiry of a link sent at `sentAt`: the policy's days later, in epoch seconds. */
export const linkExpiry = (sentAt: Date, expiryDays: number): number =>
  Math.floor(sentAt.getTime() / 1000) + expiryDays * 86_400;

/** The address the reminder links to: `{base}/respond?token=...`. */
export const answerLinkUrl = (base: string, token: string): string =>
  `${base.replace(/\/+$/, '')}/respond?token=${encodeURIComponent(token)}`;
