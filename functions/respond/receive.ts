import { answerPage, confirmationPage, messagePage } from '../shared/domain/answers/page.ts';
import type { CustomerAnswers, LinkView } from '../shared/domain/answers/respond.ts';
import type { AnswerForm } from '../shared/domain/answers/rules.ts';
import type { Policy } from '../shared/domain/policy.ts';

/** The answer page's path on its function URL and on the local server. */
export const RESPOND_PATH = '/respond';
/** A form of four short fields; anything larger is not one of ours. */
export const MAX_FORM_BYTES = 16 * 1024;

export interface RespondRequest {
  readonly method: string;
  /** The query string, with or without its leading `?`. */
  readonly query: string;
  readonly acceptLanguage?: string;
  /** `https://host` the request came to (the function URL's domain, the local server). */
  readonly origin?: string;
  readonly rawBody: Buffer;
}

export interface RespondResponse {
  readonly status: 200 | 303 | 400 | 403 | 405 | 413 | 429;
  readonly headers: Readonly<Record<string, string>>;
  readonly html: string;
}

export interface RespondLogger {
  warn(message: string, attributes: Record<string, string>): void;
  info(message: string, attributes: Record<string, string>): void;
}

export interface RespondDeps {
  readonly answers: Pick<CustomerAnswers, 'page' | 'answer'>;
  readonly policy: Policy;
  readonly paymentUrlTemplate: string;
  readonly logger: RespondLogger;
}

// Nothing here may be cached, indexed or leak the token onwards; the page loads nothing and posts
// only back to itself.
const HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'x-robots-tag': 'noindex',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
};

const respond = (status: RespondResponse['status'], html: string, extra = {}): RespondResponse => ({
  status,
  headers: { ...HEADERS, ...extra },
  html,
});

/** The reader's first language from Accept-Language, for pages shown before the link is known. */
const requestLocale = (header: string | undefined): string =>
  header?.split(',')[0]?.split(';')[0]?.trim() || 'en';

const formOf = (body: URLSearchParams): AnswerForm => {
  const value = (name: string) => body.get(name) ?? undefined;
  const form = {
    action: value('action'),
    invoice: value('invoice'),
    date: value('date'),
    reference: value('reference'),
    message: value('message'),
  };
  return Object.fromEntries(Object.entries(form).filter(([, entry]) => entry !== undefined)) as AnswerForm;
};

/**
 * `GET`/`POST /respond` for the function URL and the local server alike. GET only reads (mail
 * scanners fetch links); POST records one answer and redirects (303) to its confirmation, so a
 * reload never answers twice. Every refusal is a page in the reader's language. A store or key that
 * cannot be reached is no refusal and no 5xx either: a 200 page in the customer's language says the
 * answer was not recorded (or the page cannot be shown) and to try again, with nothing else in it.
 * Long only as a factory: GET, POST and the dispatch are small closures over one set of deps.
 */
export const createRespondReceiver = (deps: RespondDeps) => {
  const { policy } = deps;
  const options = (view: LinkView) => ({ view, policy, paymentUrlTemplate: deps.paymentUrlTemplate });
  const invalid = (locale: string) => respond(403, messagePage(locale, policy, 'invalidTitle', 'invalid'));
  const notNow = (locale: string, method: string) =>
    respond(
      200,
      method === 'POST'
        ? messagePage(locale, policy, 'notRecordedTitle', 'notRecorded')
        : messagePage(locale, policy, 'unavailableTitle', 'unavailable'),
    );

  const get = async (query: URLSearchParams, locale: string): Promise<RespondResponse> => {
    const outcome = await deps.answers.page(query.get('token') ?? undefined);
    if (outcome.kind === 'invalid') return invalid(locale);
    if (outcome.kind === 'unavailable') return notNow(outcome.locale ?? locale, 'GET');
    const answered = query.get('answered');
    const record = answered && outcome.view.answers.find((answer) => answer.answerId === answered);
    return respond(
      200,
      record ? confirmationPage(record, options(outcome.view)) : answerPage(options(outcome.view)),
    );
  };

  const post = async (request: RespondRequest, locale: string): Promise<RespondResponse> => {
    // Read as a form whatever the declared type: another body simply lacks the fields, which the
    // answer names (403 without a token, 400 for the first missing field).
    const body = new URLSearchParams(request.rawBody.toString('utf8'));
    const token = body.get('token') ?? new URLSearchParams(request.query).get('token') ?? undefined;
    const outcome = await deps.answers.answer(token, formOf(body), request.origin);
    switch (outcome.kind) {
      case 'invalid':
        return invalid(locale);
      case 'unavailable':
        return notNow(outcome.locale ?? locale, 'POST');
      case 'refused':
        return respond(400, answerPage({ ...options(outcome.view), problem: outcome.problem }));
      case 'limit':
        return respond(
          429,
          messagePage(outcome.view.customer.locale, policy, 'limitTitle', 'limit', {
            count: policy.answers.maxAnswersPerLink,
          }),
        );
      case 'answered': {
        deps.logger.info('customer answer', {
          customerId: outcome.record.customerId,
          kind: outcome.record.kind,
          answerId: outcome.record.answerId,
        });
        const location = `${RESPOND_PATH}?token=${encodeURIComponent(token ?? '')}&answered=${encodeURIComponent(outcome.record.answerId)}`;
        return respond(303, confirmationPage(outcome.record, options(outcome.view)), { location });
      }
    }
  };

  return async (request: RespondRequest): Promise<RespondResponse> => {
    const locale = requestLocale(request.acceptLanguage);
    const method = request.method.toUpperCase();
    if (method !== 'GET' && method !== 'HEAD' && method !== 'POST')
      return respond(405, messagePage(locale, policy, 'invalidTitle', 'invalid'), { allow: 'GET, POST' });
    if (request.rawBody.length > MAX_FORM_BYTES)
      return respond(413, messagePage(locale, policy, 'tooLargeTitle', 'tooLarge'));
    const query = new URLSearchParams(request.query.replace(/^\?/, ''));
    try {
      return method === 'POST' ? await post(request, locale) : await get(query, locale);
    } catch (error) {
      // Past the use case (a page that would not render): the same page, in the reader's language.
      deps.logger.warn('answer page failed', { error: (error instanceof Error && error.name) || 'unknown' });
      return notNow(locale, method);
    }
  };
};

export type RespondReceiver = ReturnType<typeof createRespondReceiver>;
