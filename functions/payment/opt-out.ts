import { isValidOptOutToken } from '../shared/domain/customer-care/opt-out-token.ts';
import type { CustomerCare } from '../shared/domain/customer-care/ports.ts';
import { NotFoundError } from '../shared/errors.ts';

/** The opt-out link's path on the payment function URL and on the local server. */
export const OPT_OUT_PATH = '/optout';

/** The body RFC 8058 has a mail client POST to the List-Unsubscribe URL (and our page's form, too). */
const ONE_CLICK = 'One-Click';
const MAX_BODY_BYTES = 1024;

export interface OptOutRequest {
  readonly method: string;
  /** The query string, with or without its leading `?`. */
  readonly query: string;
  readonly rawBody: Buffer;
}

export interface OptOutResponse {
  readonly status: 200 | 400 | 403 | 404 | 405 | 413 | 503;
  readonly headers: Readonly<Record<string, string>>;
  readonly html: string;
}

export interface OptOutLogger {
  warn(message: string, attributes: Record<string, string>): void;
  info(message: string, attributes: Record<string, string>): void;
}

export interface OptOutDeps {
  readonly secret: () => Promise<string>;
  readonly care: Pick<CustomerCare, 'optOut'>;
  readonly logger: OptOutLogger;
}

const escapeHtml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char,
  );

const page = (title: string, body: string): string =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title><style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;line-height:1.5}button{font:inherit;padding:.6rem 1.2rem}</style></head><body><h1>${title}</h1>${body}</body></html>`;

// Nothing here may be cached or indexed; the page loads nothing and posts only back to itself.
const HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'x-robots-tag': 'noindex',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
};

const answer = (
  status: OptOutResponse['status'],
  title: string,
  body: string,
  extra = {},
): OptOutResponse => ({
  status,
  headers: { ...HEADERS, ...extra },
  html: page(title, body),
});

const invalidLink = () =>
  answer(403, 'This link is not valid', '<p>Please use the link from your most recent payment reminder.</p>');

/**
 * One-click opt-out (RFC 8058) for the payment function URL and the local server alike. `GET` only
 * shows a confirmation page with a button, since mail clients and scanners fetch links on their own;
 * the opt-out is the `POST` with `List-Unsubscribe=One-Click`, which needs no login, only the link's
 * token (an HMAC of the customer id), so one customer's link never opts out another.
 */
export const createOptOutReceiver =
  (deps: OptOutDeps) =>
  async (request: OptOutRequest): Promise<OptOutResponse> => {
    const method = request.method.toUpperCase();
    if (method !== 'GET' && method !== 'HEAD' && method !== 'POST')
      return answer(405, 'Method not allowed', '', { allow: 'GET, POST' });
    if (request.rawBody.length > MAX_BODY_BYTES) return answer(413, 'Request too large', '');
    const query = new URLSearchParams(request.query.replace(/^\?/, ''));
    const customerId = query.get('customer') ?? '';
    const token = query.get('token') ?? undefined;

    let secret: string;
    try {
      secret = await deps.secret();
    } catch (error) {
      deps.logger.warn('opt-out secret unavailable', { error: (error as Error).name });
      return answer(503, 'Please try again later', '<p>We could not process your request just now.</p>');
    }
    if (!isValidOptOutToken(secret, customerId, token)) {
      deps.logger.warn('opt-out rejected', { reason: customerId ? 'token not valid' : 'no customer' });
      return invalidLink();
    }

    if (method !== 'POST') {
      const action = `${OPT_OUT_PATH}?customer=${encodeURIComponent(customerId)}&token=${encodeURIComponent(token ?? '')}`;
      return answer(
        200,
        'Stop payment reminders?',
        `<p>We send reminders when an invoice is overdue. You can stop them for your account; invoices stay due.</p><form method="post" action="${escapeHtml(action)}"><input type="hidden" name="List-Unsubscribe" value="${ONE_CLICK}"><button type="submit">Stop payment reminders</button></form>`,
      );
    }

    const body = new URLSearchParams(request.rawBody.toString('utf8'));
    if (body.get('List-Unsubscribe') !== ONE_CLICK)
      return answer(400, 'Request not understood', '<p>Expected List-Unsubscribe=One-Click.</p>');
    try {
      const outcome = await deps.care.optOut(customerId, 'customer');
      deps.logger.info('opt-out', { customerId, outcome });
    } catch (error) {
      if (error instanceof NotFoundError) return answer(404, 'Account not found', '');
      deps.logger.warn('opt-out not recorded', { error: (error as Error).name });
      return answer(503, 'Please try again later', '<p>We could not process your request just now.</p>');
    }
    return answer(
      200,
      'Payment reminders stopped',
      '<p>You will get no more payment reminders by email. To receive them again, contact our accounts team.</p>',
    );
  };

export type OptOutReceiver = ReturnType<typeof createOptOutReceiver>;
