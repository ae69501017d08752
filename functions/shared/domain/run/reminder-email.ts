import type { LatePaymentClaim } from '../interest/claim.ts';
import { reminderClaim } from '../interest/reminder-claim.ts';
import type { Customer } from '../model.ts';
import type { OutgoingEmail } from '../ports.ts';
import { reminderLine } from '../reminder/line.ts';
import type { ReminderLine } from '../reminder/types.ts';
import type { RunDependencies } from './dependencies.ts';
import type { Candidate } from './plan.ts';

/** What the run needs to turn a customer's planned invoices into the one email it sends them. */
export type EmailDependencies = Pick<
  RunDependencies,
  'policy' | 'paymentUrlTemplate' | 'latePayment' | 'render' | 'unsubscribeUrl' | 'answerUrl'
>;

/** The email as the mailer gets it, and the template language it was rendered in. */
export interface ComposedEmail {
  readonly email: OutgoingEmail;
  readonly language: string;
}

/** Strips what could end a header line: a customer's name or address never reaches a header raw. */
const headerSafe = (value: string): string => value.replace(/[\r\n]+/g, ' ').trim();

/** Each planned invoice's line: the fee its stage adds, what is owed with it, as of the run's date. */
export const plannedLines = (
  deps: EmailDependencies,
  candidates: readonly Candidate[],
  customer: Customer,
  asOf: Date,
  claims?: ReadonlyMap<string, LatePaymentClaim>,
): ReminderLine[] =>
  candidates.map(({ invoice, stage }) => {
    const latePayment = claims?.get(invoice.invoiceId);
    return reminderLine({
      invoice,
      customer,
      stage,
      now: asOf,
      paymentUrlTemplate: deps.paymentUrlTemplate,
      ...(latePayment ? { latePayment } : {}),
    });
  });

/** The lines as a dry run and a preview list them: no rendering, the figures the email states. */
export const lineFigures = (lines: readonly ReminderLine[]) =>
  lines.map((line) => ({
    invoiceId: line.invoice.invoiceId,
    invoiceNumber: line.invoice.invoiceNumber,
    stage: line.stage.name,
    fee: line.fee,
    outstanding: line.outstanding,
    currency: line.invoice.currency,
  }));

/** Statutory interest and compensation each invoice's reminder states, where the policy claims them. */
export const latePaymentClaims = async (
  deps: EmailDependencies,
  candidates: readonly Candidate[],
  customer: Customer,
  asOf: Date,
): Promise<ReadonlyMap<string, LatePaymentClaim>> => {
  const claims = new Map<string, LatePaymentClaim>();
  for (const { invoice, stage } of candidates) {
    const claim = await reminderClaim(deps.latePayment, deps.policy, invoice, customer, stage.name, asOf);
    if (claim) claims.set(invoice.invoiceId, claim);
  }
  return claims;
};

/**
 * The one email a customer gets for these lines: rendered, with its opt-out and answer links, the
 * policy's contact as Reply-To and the company's name as sender. The run sends exactly this, and
 * `dunning preview` shows exactly this.
 */
export const reminderEmail = (
  deps: EmailDependencies,
  customer: Customer,
  lines: readonly ReminderLine[],
  asOf: Date,
): ComposedEmail => {
  const unsubscribeUrl = deps.unsubscribeUrl(customer);
  const respondUrl = deps.answerUrl?.(
    customer,
    lines.map((line) => line.invoice.invoiceId),
  );
  const rendered = deps.render({
    customer,
    lines,
    policy: deps.policy,
    now: asOf,
    unsubscribeUrl,
    ...(respondUrl ? { respondUrl } : {}),
  });
  return {
    email: {
      to: headerSafe(customer.email),
      subject: headerSafe(rendered.subject),
      html: rendered.html,
      text: rendered.text,
      headers: {
        'List-Unsubscribe': `<${headerSafe(unsubscribeUrl)}>`,
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      },
      replyTo: deps.policy.company.contactEmail,
      fromName: deps.policy.company.name,
    },
    language: rendered.language,
  };
};
