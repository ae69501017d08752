import Mustache from 'mustache';
import { ConfigError } from '../../errors.ts';
import { escapeHtml } from '../html.ts';
import { formatMoney } from '../money.ts';
import {
  displayLocale,
  emailLocale,
  FALLBACK_LANGUAGE,
  formatDate,
  isSingular,
  singleLine,
  templateLanguage,
} from './locale.ts';
import type { HandOffDigestInput, ReminderInput, RenderedReminder, TemplateSource } from './types.ts';
import { frameStage, reminderView } from './view.ts';

/**
 * Turns a reminder's facts into subject, HTML and plain text through the mustache templates of the
 * customer's language. Pure: the templates arrive through a TemplateSource, formats through Intl.
 */

type Format = 'html' | 'txt';

// Plain text is never interpreted by anyone: a customer's "<b>" stays "<b>".
const verbatim = (value: unknown): string => String(value);

const renderer = (templates: TemplateSource, language: string) => {
  const load = (name: string): string => {
    const template = templates.get(language, name) ?? templates.get(FALLBACK_LANGUAGE, name);
    if (template === undefined)
      throw new ConfigError(`No template "${name}" in templates/${language}/ or templates/en/`);
    return template;
  };
  return (name: string, format: Format | 'subject', view: object, content?: string): string => {
    const extension = format === 'subject' ? 'txt' : format;
    const partials = (partial: string) =>
      load(partial === 'content' && content ? `${content}.${extension}` : `${partial}.${extension}`);
    return Mustache.render(load(name), view, partials, {
      escape: format === 'html' ? escapeHtml : verbatim,
    });
  };
};

/**
 * The email for one customer: the frame (template and tone) of the line with the highest tone, every
 * line with its own facts. The subject is one line whatever the customer's data holds.
 */
export const renderReminder = (input: ReminderInput, templates: TemplateSource): RenderedReminder => {
  const frame = frameStage(input.lines, input.policy);
  const language = templateLanguage(input.customer.locale, templates, `${frame.template}.html`);
  const locale = emailLocale(input.customer.locale, language);
  const view = reminderView(input, locale, language, frame);
  const render = renderer(templates, language);
  return {
    subject: singleLine(render('subject.txt', 'subject', view)),
    html: render('layout.html', 'html', view, frame.template),
    text: render('layout.txt', 'txt', view, frame.template),
    language,
  };
};

/** The collections contact's email listing the day's hand-offs: whom to call, about what, how much. */
export const renderHandOffDigest = (
  input: HandOffDigestInput,
  templates: TemplateSource,
): RenderedReminder => {
  const locale = displayLocale(input.locale ?? 'en-US');
  const language = templateLanguage(locale, templates, 'handoff.html');
  const view = {
    date: formatDate(input.date, locale),
    count: input.handOffs.length,
    countOne: isSingular(input.handOffs.length, language),
    none: input.handOffs.length === 0,
    collectionsName: input.policy.collections.name,
    companyName: input.policy.company.name,
    handOffs: input.handOffs.map(({ invoice, customer, outstanding, daysOverdue }) => ({
      number: singleLine(invoice.invoiceNumber),
      invoiceId: invoice.invoiceId,
      customerName: singleLine(customer.name),
      customerId: customer.customerId,
      email: customer.email,
      phone: customer.phone ?? false,
      phoneE164: customer.phone?.replace(/[^+\d]/g, '') ?? '',
      addressLines: (customer.address ?? '')
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter(Boolean),
      locale: customer.locale,
      timeZone: customer.timeZone,
      outstanding: formatMoney(outstanding, invoice.currency, locale),
      dueDate: formatDate(invoice.dueDate, locale),
      daysOverdue,
    })),
  };
  const render = renderer(templates, language);
  return {
    subject: singleLine(render('handoff-subject.txt', 'subject', view)),
    html: render('handoff.html', 'html', view),
    text: render('handoff.txt', 'txt', view),
    language,
  };
};
