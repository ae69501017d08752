import { escapeHtml as esc } from '../html.ts';
import { type Customer, type Invoice, outstanding } from '../model.ts';
import { formatMoney } from '../money.ts';
import type { Policy } from '../policy.ts';
import type { OutgoingEmail } from '../ports.ts';
import { singleLine } from '../reminder/locale.ts';
import type { AnswerRecord } from './kinds.ts';
import { answerLinkUrl } from './link-token.ts';
import { confirmationSentence } from './page.ts';
import type { AnswerEmails, LinkView } from './respond.ts';
import { fill, wordsFor } from './words.ts';

const named = (view: LinkView, record: AnswerRecord): Invoice[] =>
  view.invoices.filter((invoice) => record.invoiceIds.includes(invoice.invoiceId));

const html = (paragraphs: readonly string[]): string =>
  `<!doctype html><html><head><meta charset="utf-8"></head><body style="font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5;color:#1f2933">${paragraphs
    .map((paragraph) => `<p>${esc(paragraph).replace(/\n/g, '<br>')}</p>`)
    .join('')}</body></html>`;

/**
 * The customer's confirmation of an answer (in their language, with the link to change it) and the
 * collections contact's note of a dispute or plan request, which a person acts on.
 */
export const answerEmails = (policy: Policy, publicUrl?: string): AnswerEmails => ({
  confirmation(record, view, origin) {
    const { words } = wordsFor(view.customer.locale);
    const locale = view.customer.locale;
    const invoices = named(view, record);
    const numbers = invoices.map((invoice) => singleLine(invoice.invoiceNumber)).join(', ');
    const lines = invoices.map(
      (invoice) =>
        `${singleLine(invoice.invoiceNumber)}: ${formatMoney(outstanding(invoice), invoice.currency, locale)}`,
    );
    const paragraphs = [
      fill(words.greeting, { name: singleLine(view.customer.name) }),
      `${words.emailThanks} ${confirmationSentence(record, words, locale)}`,
      lines.join('\n'),
      ...((origin ?? publicUrl)
        ? [fill(words.emailChange, { url: answerLinkUrl(origin ?? publicUrl ?? '', view.token) })]
        : []),
      fill(words.questions, { email: policy.company.contactEmail }),
      policy.company.name,
    ];
    return {
      to: view.customer.email,
      subject: singleLine(fill(words.emailSubject, { numbers })),
      text: `${paragraphs.join('\n\n')}\n`,
      html: html(paragraphs),
      replyTo: policy.company.contactEmail,
      fromName: policy.company.name,
    };
  },

  notice(record, view) {
    if (record.kind !== 'dispute' && record.kind !== 'plan') return undefined;
    const invoices = named(view, record);
    const what = record.kind === 'dispute' ? 'disputes' : 'asks for a payment plan for';
    const paragraphs = [
      `${singleLine(view.customer.name)} (${view.customer.customerId}, ${view.customer.email}) ${what} ${invoices
        .map(
          (invoice) =>
            `${singleLine(invoice.invoiceNumber)} (${formatMoney(outstanding(invoice), invoice.currency, 'en-US')} outstanding)`,
        )
        .join(', ')}, answering from a reminder's link at ${record.at}.`,
      ...(record.message ? [`In their words:\n${record.message}`] : []),
      record.kind === 'dispute'
        ? 'The invoices are disputed: no reminder goes out until "dunning undispute INVOICE_ID".'
        : 'Reminders wait until you act: "dunning resume CUSTOMER_ID" or "dunning pause CUSTOMER_ID --until DATE".',
    ];
    return {
      to: policy.collections.email,
      subject: singleLine(
        `Customer answer: ${record.kind === 'dispute' ? 'dispute' : 'payment plan'} from ${view.customer.name} for ${invoices.map((invoice) => invoice.invoiceNumber).join(', ')}`,
      ),
      text: `${paragraphs.join('\n\n')}\n`,
      html: html(paragraphs),
    };
  },
});

/** To the collections contact: a customer said they paid, the grace days are over, nothing arrived. */
export const unmatchedClaimNotice = (
  invoice: Invoice,
  customer: Pick<Customer, 'customerId' | 'name' | 'email'>,
  policy: Policy,
): OutgoingEmail => {
  const { answer } = invoice;
  const paragraphs = [
    `${singleLine(customer.name)} (${customer.customerId}, ${customer.email}) told us on ${answer?.at.slice(0, 10) ?? '?'} that they paid invoice ${singleLine(invoice.invoiceNumber)}${answer?.paidOn ? ` on ${answer.paidOn}` : ''}${answer?.reference ? ` with the reference "${answer.reference}"` : ''}.`,
    `No payment has been matched to it: ${formatMoney(outstanding(invoice), invoice.currency, 'en-US')} is still outstanding. Reminders resume and ask the customer for the payment reference; please check the bank account for an unallocated payment.`,
  ];
  return {
    to: policy.collections.email,
    subject: singleLine(`Payment not found: ${invoice.invoiceNumber} from ${customer.name}`),
    text: `${paragraphs.join('\n\n')}\n`,
    html: html(paragraphs),
  };
};
