import { escapeHtml } from '../html.ts';
import { formatMoney } from '../money.ts';
import type { Policy } from '../policy.ts';
import type { HandOffNote } from './ports.ts';

export interface DigestInput {
  readonly handOffs: readonly HandOffNote[];
  readonly policy: Policy;
  /** The run's day, ISO date in the deployment's zone. */
  readonly date: string;
}

export interface RenderedDigest {
  readonly subject: string;
  readonly html: string;
  readonly text: string;
}

/**
 * A plain digest for the collections contact, used when no template-based one is wired: one line per
 * hand-off with what a caller needs (customer, invoice, amount, age, how to reach them).
 */
export const plainDigest = ({ handOffs, policy, date }: DigestInput): RenderedDigest => {
  const rows = handOffs.map(({ invoice, customer, outstanding, daysOverdue }) => ({
    customer: `${customer.name} (${customer.customerId})`,
    invoice: invoice.invoiceNumber,
    amount: formatMoney(outstanding, invoice.currency, 'en-US'),
    days: `${daysOverdue} days overdue`,
    contact: customer.email,
  }));
  const text = [
    `${policy.collections.name},`,
    '',
    `${handOffs.length} invoice(s) were handed to you on ${date} after their final notice. Please call:`,
    '',
    ...rows.map(
      (row) => `- ${row.customer}: invoice ${row.invoice}, ${row.amount}, ${row.days}, ${row.contact}`,
    ),
    '',
    `${policy.company.name}`,
  ].join('\n');
  const html = `<!doctype html><html><body><p>${escapeHtml(policy.collections.name)},</p><p>${handOffs.length} invoice(s) were handed to you on ${date} after their final notice. Please call:</p><ul>${rows
    .map(
      (row) =>
        `<li>${escapeHtml(row.customer)}: invoice ${escapeHtml(row.invoice)}, ${escapeHtml(row.amount)}, ${row.days}, ${escapeHtml(row.contact)}</li>`,
    )
    .join('')}</ul><p>${escapeHtml(policy.company.name)}</p></body></html>`;
  return { subject: `Hand-offs for ${date}: ${handOffs.length} invoice(s) to call about`, html, text };
};
