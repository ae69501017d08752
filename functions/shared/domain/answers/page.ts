import { addDays } from '../calendar.ts';
import { escapeHtml as esc } from '../html.ts';
import { formatMoney } from '../money.ts';
import type { Policy } from '../policy.ts';
import { paymentUrlFor } from '../reminder/line.ts';
import { formatDate, groupIban } from '../reminder/locale.ts';
import { ANSWER_KINDS, type AnswerKind, type AnswerRecord } from './kinds.ts';
import type { LinkView, SettledProblem } from './respond.ts';
import { answerStatusOn, type FormProblem, MAX_MESSAGE_LENGTH, MAX_REFERENCE_LENGTH } from './rules.ts';
import { fill, type Words, wordsFor } from './words.ts';

/**
 * The pages a customer sees on `/respond`, in their language: pure HTML strings, every value escaped,
 * no script, nothing loaded from elsewhere (the receiver's CSP forbids it).
 */

const STYLE =
  'body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1f2933}' +
  'header{border-top:4px solid #2563eb;padding:.8rem 0;font-weight:bold;font-size:1.1rem}' +
  'table{border-collapse:collapse;width:100%;margin:1rem 0}th,td{text-align:left;padding:.4rem .5rem;border-bottom:1px solid #e3e6ea;vertical-align:top}' +
  'td.n{text-align:right;white-space:nowrap}.note{font-size:.9rem;color:#52606d}' +
  '.ok{background:#ecfdf5;border:1px solid #a7f3d0;padding:.8rem 1rem;border-radius:.4rem}' +
  '.problem{background:#fef2f2;border:1px solid #fecaca;padding:.8rem 1rem;border-radius:.4rem}' +
  'section{border:1px solid #e3e6ea;border-radius:.4rem;padding:.8rem 1rem;margin:1rem 0}h2{font-size:1.05rem;margin:.2rem 0}' +
  'label{display:block;margin:.5rem 0 .2rem}input,select,textarea{font:inherit;padding:.35rem;max-width:100%}textarea{width:100%;min-height:4rem}' +
  'button{display:block;font:inherit;padding:.5rem 1.2rem;margin-top:.8rem;background:#2563eb;color:#fff;border:0;border-radius:.3rem;cursor:pointer}';

export const documentPage = (language: string, title: string, company: string, body: string): string =>
  `<!doctype html><html lang="${esc(language)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${esc(title)}</title><style>${STYLE}</style></head><body><header>${esc(company)}</header><h1>${esc(title)}</h1>${body}</body></html>`;

/** A page that only says something: a refused link, a body too large, a later retry. */
export const messagePage = (
  locale: string,
  policy: Policy,
  title: keyof Words,
  text: keyof Words,
  values = {},
) => {
  const { language, words } = wordsFor(locale);
  const body = `<p>${esc(fill(words[text] as string, values))}</p><p class="note">${esc(fill(words.questions, { email: policy.company.contactEmail }))}</p>`;
  return documentPage(language, words[title] as string, policy.company.name, body);
};

interface PageContext {
  readonly view: LinkView;
  readonly policy: Policy;
  readonly paymentUrlTemplate: string;
  readonly words: Words;
  readonly locale: string;
}

const said = (record: Pick<AnswerRecord, 'kind' | 'promisedFor'>, { words, locale }: PageContext) =>
  fill(words.said[record.kind], { date: record.promisedFor ? formatDate(record.promisedFor, locale) : '' });

/** The current answer on each invoice, once per answer, with where it stands today. */
const currentAnswers = (context: PageContext): string => {
  const { view, words, locale } = context;
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const invoice of view.invoices) {
    const answer = invoice.answer;
    if (!answer || seen.has(answer.answerId)) continue;
    seen.add(answer.answerId);
    const status = answerStatusOn(answer, invoice, view.today);
    const sentence = fill(words.yourAnswer, {
      date: formatDate(answer.at.slice(0, 10), locale),
      said: said(answer, context),
      status: words.status[status],
    });
    const open = status === 'held' || status === 'broken' || status === 'unmatched';
    lines.push(`<p>${esc(sentence)}${open ? ` ${esc(words.replaces)}` : ''}</p>`);
  }
  return lines.join('');
};

const invoiceTable = (context: PageContext): string => {
  const { view, words, locale, paymentUrlTemplate } = context;
  const rows = view.invoices.map((invoice) => {
    const owed =
      invoice.status === 'paid'
        ? 0
        : Math.max(0, invoice.amountDue + invoice.feesCharged - invoice.amountPaid - invoice.amountReceived);
    const url = paymentUrlFor(invoice, paymentUrlTemplate);
    const pay =
      owed === 0
        ? esc(words.paidThanks)
        : /^https?:\/\//i.test(url)
          ? `<a href="${esc(url)}" rel="noreferrer">${esc(words.payNow)}</a>`
          : '';
    return `<tr><td>${esc(invoice.invoiceNumber)}</td><td>${esc(formatDate(invoice.dueDate, locale))}</td><td class="n">${esc(formatMoney(owed, invoice.currency, locale))}</td><td>${pay}</td></tr>`;
  });
  return `<table><thead><tr><th>${esc(words.invoice)}</th><th>${esc(words.dueDate)}</th><th class="n">${esc(words.outstanding)}</th><th></th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
};

const field = (label: string, control: string, optional: string | false) =>
  `<label>${esc(label)}${optional ? ` <span class="note">(${esc(optional)})</span>` : ''}</label>${control}`;

const form = (kind: AnswerKind, context: PageContext, openIds: readonly string[]): string => {
  const { view, words, policy } = context;
  const byId = new Map(view.invoices.map((invoice) => [invoice.invoiceId, invoice]));
  const latest = addDays(view.today, policy.answers.maxPromiseDays);
  const help = fill(words.forms[kind].help, {
    days: kind === 'paid' ? policy.answers.paidGraceDays : policy.answers.promiseGraceDays,
    latest: formatDate(latest, context.locale),
  });
  const invoiceChoice =
    openIds.length === 1
      ? `<input type="hidden" name="invoice" value="${esc(openIds[0] ?? '')}">`
      : field(
          words.invoice,
          `<select name="invoice">${kind === 'dispute' ? '' : `<option value="">${esc(words.allInvoices)}</option>`}${openIds
            .map((id) => `<option value="${esc(id)}">${esc(byId.get(id)?.invoiceNumber ?? id)}</option>`)
            .join('')}</select>`,
          false,
        );
  const fields = {
    paid:
      field(words.paidOn, `<input type="date" name="date" max="${view.today}">`, words.optional) +
      field(
        words.reference,
        `<input type="text" name="reference" maxlength="${MAX_REFERENCE_LENGTH}">`,
        words.optional,
      ),
    promise: field(
      words.payBy,
      `<input type="date" name="date" required min="${addDays(view.today, 1)}" max="${latest}">`,
      false,
    ),
    dispute: field(
      words.reason,
      `<textarea name="message" required maxlength="${MAX_MESSAGE_LENGTH}"></textarea>`,
      false,
    ),
    plan: field(
      words.planMessage,
      `<textarea name="message" maxlength="${MAX_MESSAGE_LENGTH}"></textarea>`,
      words.optional,
    ),
  }[kind];
  return `<section><h2>${esc(words.forms[kind].title)}</h2><p class="note">${esc(help)}</p><form method="post" action="/respond" data-action="${kind}"><input type="hidden" name="token" value="${esc(view.token)}"><input type="hidden" name="action" value="${kind}">${invoiceChoice}${fields}<button type="submit">${esc(words.send)}</button></form></section>`;
};

/** Says what was refused, naming the field in the customer's words. */
const problemBox = (problem: FormProblem | SettledProblem, context: PageContext): string => {
  const { words, locale } = context;
  const limit = 'limit' in problem && problem.limit ? problem.limit : '';
  const shown = /^\d{4}-\d{2}-\d{2}$/.test(limit) ? formatDate(limit, locale) : limit;
  const sentence = fill(words.problems[problem.problem], {
    field: words.fields[problem.field],
    limit: shown,
  });
  return `<div class="problem" role="alert" data-field="${esc(problem.field)}"><strong>${esc(words.checkTitle)}</strong><p>${esc(sentence)}</p></div>`;
};

export interface AnswerPageOptions {
  readonly view: LinkView;
  readonly policy: Policy;
  readonly paymentUrlTemplate: string;
  readonly problem?: FormProblem | SettledProblem;
}

/** `GET /respond`: the invoices, what is outstanding, the payment link and the four answers. */
export const answerPage = (options: AnswerPageOptions): string => {
  const { view, policy } = options;
  const { language, words } = wordsFor(view.customer.locale);
  const context: PageContext = { ...options, words, locale: view.customer.locale };
  const openIds = view.invoices
    .filter(
      (invoice) =>
        invoice.status === 'open' &&
        invoice.amountDue + invoice.feesCharged - invoice.amountPaid - invoice.amountReceived > 0,
    )
    .map((invoice) => invoice.invoiceId);
  const { bankTransfer } = policy.company;
  const body = [
    options.problem ? problemBox(options.problem, context) : '',
    `<p>${esc(fill(words.greeting, { name: view.customer.name }))}</p>`,
    invoiceTable(context),
    `<p class="note">${esc(fill(words.bankTransfer, { accountName: bankTransfer.accountName, iban: groupIban(bankTransfer.iban) }))}</p>`,
    currentAnswers(context),
    openIds.length
      ? `<p>${esc(words.intro)}</p>${ANSWER_KINDS.map((kind) => form(kind, context, openIds)).join('')}`
      : `<p class="ok">${esc(words.nothingOpen)}</p>`,
    `<p class="note">${esc(fill(words.questions, { email: policy.company.contactEmail }))}</p>`,
  ].join('');
  return documentPage(
    language,
    fill(words.title, { company: policy.company.name }),
    policy.company.name,
    body,
  );
};

/** The page after an answer: what was recorded and until when reminders wait. */
export const confirmationPage = (record: AnswerRecord, options: AnswerPageOptions): string => {
  const { view, policy } = options;
  const { language, words } = wordsFor(view.customer.locale);
  const locale = view.customer.locale;
  const numbers = view.invoices
    .filter((invoice) => record.invoiceIds.includes(invoice.invoiceId))
    .map((invoice) => invoice.invoiceNumber);
  const sentence = confirmationSentence(record, words, locale);
  const back = `/respond?token=${encodeURIComponent(view.token)}`;
  const body = `<div class="ok" role="status" data-answer="${esc(record.kind)}"><p>${esc(sentence)}</p><p>${esc(numbers.length > 1 ? words.invoices : words.invoice)}: ${esc(numbers.join(', '))}</p><p>${esc(words.emailSent)}</p></div><p><a href="${esc(back)}">${esc(words.back)}</a></p>`;
  return documentPage(language, words.confirmedTitle, policy.company.name, body);
};

/** "You will pay by 15 March 2026. We hold reminders until 18 March 2026." in the customer's words. */
export const confirmationSentence = (record: AnswerRecord, words: Words, locale: string): string =>
  fill(words.confirmed[record.kind], {
    date: record.promisedFor ? formatDate(record.promisedFor, locale) : '',
    until: record.heldThrough ? formatDate(record.heldThrough, locale) : '',
  });
