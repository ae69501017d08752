import { DateTime } from 'luxon';
import { formatMoney } from '../money.ts';
import { AGING_BUCKETS, AGING_LABELS } from './aging.ts';
import type { AgingReport } from './document.ts';

/**
 * The report as a reader sees it: sections of rows with every amount, date and instant already
 * formatted. The terminal table and the HTML page both draw these, so they never disagree.
 */

export interface ViewColumn {
  readonly heading: string;
  readonly align?: 'left' | 'right';
}

export interface ViewSection {
  readonly id: string;
  readonly title: string;
  /** One sentence on what the section lists and what to do about it. */
  readonly hint: string;
  readonly columns: readonly ViewColumn[];
  readonly rows: readonly (readonly string[])[];
}

export interface ReportView {
  readonly title: string;
  readonly subtitle: string;
  readonly periodNote: string;
  readonly sections: readonly ViewSection[];
}

/** Money in the reader's locale; a code Intl cannot format (a provider's odd currency) stays readable. */
export const moneyText = (amount: number, currency: string, locale: string): string => {
  try {
    return formatMoney(amount, currency, locale);
  } catch {
    return `${amount} ${currency} (minor units)`;
  }
};

const instantText = (iso: string | null, zone: string): string => {
  if (!iso) return '-';
  const at = DateTime.fromISO(iso, { zone });
  return at.isValid ? at.toFormat('yyyy-LL-dd HH:mm') : iso;
};

const right = (heading: string): ViewColumn => ({ heading, align: 'right' });

/** How the view writes amounts and instants: in the reader's locale and the report's zone. */
interface Formats {
  readonly money: (amount: number, currency: string) => string;
  /** A refund shows as money going back out. */
  readonly signed: (line: { kind: string; amount: number; currency: string }) => string;
  readonly when: (iso: string | null) => string;
}

type SectionOf = (report: AgingReport, formats: Formats) => ViewSection;

const agingSection: SectionOf = (report, { money }) => ({
  id: 'aging',
  title: 'Aging per currency',
  hint: "Open invoices by days past due, counted on each customer's own calendar. Amounts include late fees; currencies are never added together.",
  columns: [
    { heading: 'Currency' },
    ...AGING_BUCKETS.map((bucket) => right(AGING_LABELS[bucket])),
    right('Outstanding'),
    right('Open invoices'),
    right('Reminders sent'),
    right('Recovered'),
  ],
  rows: report.currencies.map((line) => [
    line.currency,
    ...AGING_BUCKETS.map((bucket) => money(line[bucket], line.currency)),
    money(line.outstanding, line.currency),
    String(line.openInvoices),
    String(line.remindersSent),
    money(line.recovered, line.currency),
  ]),
});

const handOffSection: SectionOf = (report, { money, when }) => ({
  id: 'hand-offs',
  title: 'Hand-offs waiting for a person',
  hint: 'The final notice went out; these invoices wait for a call from the collections desk.',
  columns: [
    { heading: 'Invoice' },
    { heading: 'Customer' },
    right('Outstanding'),
    right('Days overdue'),
    { heading: 'Handed off' },
    { heading: 'To' },
  ],
  rows: report.handOffs.map((line) => [
    line.invoiceNumber,
    line.customerName ? `${line.customerName} (${line.customerId})` : line.customerId,
    money(line.outstanding, line.currency),
    String(line.daysOverdue),
    when(line.handedOffAt),
    line.assignee ?? '-',
  ]),
});

const unconfirmedSection: SectionOf = (report, { when }) => ({
  id: 'unconfirmed',
  title: 'Unconfirmed sends',
  hint: 'Nobody knows whether these reminders left; they are never resent on their own. Check the mail log, then decide.',
  columns: [
    { heading: 'Invoice' },
    { heading: 'Customer' },
    { heading: 'Stage' },
    { heading: 'Claimed' },
    { heading: 'Run' },
  ],
  rows: report.unconfirmedSends.map((line) => [
    line.invoiceNumber,
    line.customerId,
    line.stage,
    when(line.claimedAt),
    line.runId,
  ]),
});

const heldCustomerSection: SectionOf = (report, { money }) => ({
  id: 'held',
  title: 'Customers getting no reminders',
  hint: 'Paused, disputed, opted out or bounced customers who still owe money.',
  columns: [
    { heading: 'Customer' },
    { heading: 'Reason' },
    { heading: 'Until' },
    { heading: 'Note' },
    right('Outstanding'),
  ],
  rows: report.heldCustomers.map((line) => [
    `${line.name} (${line.customerId})`,
    line.reason,
    line.pausedUntil ?? '-',
    line.note ?? '-',
    line.outstanding.map((owed) => money(owed.amount, owed.currency)).join(', '),
  ]),
});

const heldInvoiceSection: SectionOf = (report, { money }) => ({
  id: 'held-invoices',
  title: 'Invoices on hold',
  hint: 'Open invoices a flag keeps from reminders until someone acts: a dispute, a payment in the wrong currency.',
  columns: [{ heading: 'Invoice' }, { heading: 'Customer' }, { heading: 'Flags' }, right('Outstanding')],
  rows: report.heldInvoices.map((line) => [
    line.invoiceNumber,
    line.customerId,
    line.flags.join(', '),
    money(line.outstanding, line.currency),
  ]),
});

const creditSection: SectionOf = (report, { money }) => ({
  id: 'credits',
  title: 'Credits to refund or apply',
  hint: 'Invoices paid more than they ask: the excess is recorded in full, not counted as recovered.',
  columns: [{ heading: 'Invoice' }, { heading: 'Customer' }, right('Credit')],
  rows: report.credits.map((line) => [
    line.invoiceNumber,
    line.customerId,
    money(line.credit, line.currency),
  ]),
});

const flaggedPaymentSection: SectionOf = (report, { signed, when }) => ({
  id: 'flagged',
  title: 'Flagged payments',
  hint: 'Recorded but not (wholly) applied: a payment in another currency than its invoice, an amount Stripe units could not convert exactly, or a refund beyond the payment it refunds.',
  columns: [
    { heading: 'Invoice' },
    { heading: 'Payment' },
    { heading: 'Flag' },
    right('Amount'),
    { heading: 'Invoice currency' },
    { heading: 'Occurred' },
  ],
  rows: report.flaggedPayments.map((line) => [
    line.invoiceId,
    line.paymentId,
    line.flag,
    signed(line),
    line.invoiceCurrency,
    when(line.occurredAt),
  ]),
});

const unmatchedPaymentSection: SectionOf = (report, { signed, when }) => ({
  id: 'unmatched',
  title: 'Unmatched payments',
  hint: 'Payments for invoice ids the store does not know; they are applied when that invoice is imported.',
  columns: [
    { heading: 'Invoice id' },
    { heading: 'Event' },
    { heading: 'Provider' },
    right('Amount'),
    { heading: 'Occurred' },
    { heading: 'Received' },
  ],
  rows: report.unmatchedPayments.map((line) => [
    line.invoiceId,
    line.eventId,
    line.provider,
    signed(line),
    when(line.occurredAt),
    when(line.receivedAt),
  ]),
});

const SECTIONS: readonly SectionOf[] = [
  agingSection,
  handOffSection,
  unconfirmedSection,
  heldCustomerSection,
  heldInvoiceSection,
  creditSection,
  flaggedPaymentSection,
  unmatchedPaymentSection,
];

export const reportView = (report: AgingReport, locale: string): ReportView => {
  const zone = report.timeZone;
  const money = (amount: number, currency: string) => moneyText(amount, currency, locale);
  const signed = (line: { kind: string; amount: number; currency: string }) =>
    money(line.kind === 'refund' ? -line.amount : line.amount, line.currency);
  const when = (iso: string | null) => instantText(iso, zone);
  const formats: Formats = { money, signed, when };
  const sections = SECTIONS.map((section) => section(report, formats));
  return {
    title: 'Receivables aging',
    subtitle: `as of ${report.asOf} (${when(report.asOfInstant).slice(11)} ${zone})`,
    periodNote: `Reminders sent and amounts recovered count the ${report.period.days} days from ${when(report.period.from)} to ${when(report.period.to)} (${zone}); recovered is money applied to an invoice after its first reminder, less refunds, and never more than the invoice asked.`,
    sections,
  };
};
