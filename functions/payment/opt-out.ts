import { isValidOptOutToken } from '../shared/domain/customer-care/opt-out-token.ts';
import type { CustomerCare } from '../shared/domain/customer-care/ports.ts';
import { escapeHtml } from '../shared/domain/html.ts';
import { type PageLanguage, pageLanguage } from '../shared/domain/page-language.ts';
import { NotFoundError } from '../shared/errors.ts';
import { OPT_OUT_WORDS } from './opt-out-pages.ts';

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
  /** The company's name, as the reminders sign it: the pages say whose reminders stop. */
  readonly companyName: string;
  readonly care: Pick<CustomerCare, 'optOut'>;
  readonly logger: OptOutLogger;
}

const page = (language: PageLanguage, company: string, title: string, body: string): string =>
  `<!doctype html><html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)} · ${escapeHtml(company)}</title><style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;line-height:1.5;color:#1f2933}.company{font-weight:bold;color:#6b7280;margin:0 0 1rem}button{font:inherit;padding:.6rem 1.2rem}</style></head><body><p class="company">${escapeHtml(company)}</p><h1>${escapeHtml(title)}</h1>${body}</body></html>`;

// Nothing here may be cached or indexed; the page loads nothing and posts only back to itself.
const HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'x-robots-tag': 'noindex',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
};

type Words = (typeof OPT_OUT_WORDS)[PageLanguage];

/** The page's words in one language, the company's name filled in and escaped. */
const pages = (language: PageLanguage, company: string) => {
  const words: Words = OPT_OUT_WORDS[language];
  const say = (key: keyof Words) => escapeHtml(words[key].replaceAll('{company}', company));
  const answer = (
    status: OptOutResponse['status'],
    title: keyof Words,
    body: string,
    extra = {},
  ): OptOutResponse => ({
    status,
    headers: { ...HEADERS, 'content-language': language, ...extra },
    html: page(language, company, words[title], body),
  });
  return { say, answer };
};

/**
 * One-click opt-out (RFC 8058) for the payment function URL and the local server alike. `GET` only
 * shows a confirmation page with a button, since mail clients and scanners fetch links on their own;
 * the opt-out is the `POST` with `List-Unsubscribe=One-Click`, which needs no login, only the link's
 * token (an HMAC of the customer id), so one customer's link never opts out another.
 */
export const createOptOutReceiver =
  (deps: OptOutDeps) =>
  async (request: OptOutRequest): Promise<OptOutResponse> => {
    const query = new URLSearchParams(request.query.replace(/^\?/, ''));
    const language = pageLanguage(query.get('lang'));
    const { say, answer } = pages(language, deps.companyName);
    const paragraph = (key: Parameters<typeof say>[0]) => `<p>${say(key)}</p>`;
    const method = request.method.toUpperCase();
    if (method !== 'GET' && method !== 'HEAD' && method !== 'POST')
      return answer(405, 'methodTitle', '', { allow: 'GET, POST' });
    if (request.rawBody.length > MAX_BODY_BYTES) return answer(413, 'tooLargeTitle', '');
    const customerId = query.get('customer') ?? '';
    const token = query.get('token') ?? undefined;

    let secret: string;
    try {
      secret = await deps.secret();
    } catch (error) {
      deps.logger.warn('opt-out secret unavailable', { error: (error as Error).name });
      return answer(503, 'retryTitle', paragraph('retryBody'));
    }
    if (!isValidOptOutToken(secret, customerId, token)) {
      deps.logger.warn('opt-out rejected', { reason: customerId ? 'token not valid' : 'no customer' });
      return answer(403, 'invalidTitle', paragraph('invalidBody'));
    }

    if (method !== 'POST') {
      const action = `${OPT_OUT_PATH}?customer=${encodeURIComponent(customerId)}&token=${encodeURIComponent(token ?? '')}&lang=${language}`;
      return answer(
        200,
        'confirmTitle',
        `${paragraph('confirmBody')}<form method="post" action="${escapeHtml(action)}"><input type="hidden" name="List-Unsubscribe" value="${ONE_CLICK}"><button type="submit">${say('confirmButton')}</button></form>`,
      );
    }

    const body = new URLSearchParams(request.rawBody.toString('utf8'));
    if (body.get('List-Unsubscribe') !== ONE_CLICK)
      return answer(400, 'badRequestTitle', paragraph('badRequestBody'));
    try {
      const outcome = await deps.care.optOut(customerId, 'customer');
      deps.logger.info('opt-out', { customerId, outcome });
    } catch (error) {
      if (error instanceof NotFoundError) return answer(404, 'notFoundTitle', '');
      deps.logger.warn('opt-out not recorded', { error: (error as Error).name });
      return answer(503, 'retryTitle', paragraph('retryBody'));
    }
    return answer(200, 'doneTitle', paragraph('doneBody'));
  };

export type OptOutReceiver = ReturnType<typeof createOptOutReceiver>;
