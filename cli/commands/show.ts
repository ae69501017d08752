import type { Command } from 'commander';
import { buildInvoiceAudit } from '../../functions/shared/composition/ledger-reads.ts';
import { ledgerView } from '../../functions/shared/domain/charges.ts';
import { claimForInvoice } from '../../functions/shared/domain/interest/for-invoice.ts';
import { formatMoney } from '../../functions/shared/domain/money.ts';
import {
  type InvoiceAudit,
  type ShowDocument,
  showDocument,
} from '../../functions/shared/domain/run/audit.ts';
import { NotFoundError } from '../../functions/shared/errors.ts';
import { loadReferenceRates } from '../../functions/shared/reference-rates.ts';
import { action, type CommonOptions, withCommonOptions } from '../command.ts';
import { createCliContext } from '../context.ts';
import { printJson, printLine } from '../output.ts';

/** Why a payment is not (wholly) on the invoice, in the operator's words. */
const REASON_TEXT: Record<string, string> = {
  duplicate: 'the same money as an earlier event',
  waiting_for_payment: 'waiting for the payment it refunds',
  not_applied: 'recorded, not applied yet (the provider retries)',
  refund_exceeds_payment: 'beyond the payment it refunds',
  currency_mismatch: 'another currency than the invoice',
  amount_inexact: "not a whole minor unit in Stripe's units",
  too_many_payments: 'the invoice holds too many separate payments',
};

const paymentState = (payment: ShowDocument['payments'][number]): string => {
  const why = payment.reason ? (REASON_TEXT[payment.reason] ?? payment.reason) : '';
  if (!payment.applied) return `not applied: ${why}`;
  if (payment.appliedAmount !== undefined)
    return `applied ${formatMoney(payment.appliedAmount, payment.currency, 'en-US')} of it; the rest ${why}`;
  return 'applied';
};

/** The ledger and what the customer's law lets be claimed today, beside the audit trail. */
const withLedger = (audit: InvoiceAudit) => {
  const claim = claimForInvoice({ ...audit, asOf: new Date(), rates: loadReferenceRates() });
  return {
    ...showDocument(audit),
    charges: ledgerView(audit.invoice),
    latePayment: {
      applicable: claim.applicable,
      reason: claim.reason,
      law: claim.law,
      asOf: claim.asOf,
      interest: claim.interest,
      compensation: claim.compensation,
    },
  };
};

type Shown = ReturnType<typeof withLedger>;

const printLedger = (document: Shown, money: (amount: number) => string): void => {
  printLine('Charges');
  for (const c of document.charges)
    printLine(
      `  ${c.chargedAt} ${c.kind}${c.stage ? ` ${c.stage}` : ''} ${money(c.amount)}${c.waived ? ` waived ${c.waived.at} by ${c.waived.by}: ${c.waived.reason}` : ''}`,
    );
  if (!document.charges.length) printLine('  none');
  const late = document.latePayment;
  printLine(
    late.applicable
      ? `Late-payment claim (${late.law}, to ${late.asOf}): interest ${money(late.interest)}, compensation ${money(late.compensation)}`
      : `Late-payment claim: none (${late.reason})`,
  );
};

const printHuman = (document: Shown): void => {
  const { invoice, customer } = document;
  const money = (amount: number) => formatMoney(amount, invoice.currency, customer?.locale ?? 'en-US');
  printLine(`Invoice ${invoice.invoiceNumber} (${invoice.invoiceId}), ${invoice.status}`);
  printLine(
    `  customer     ${customer ? `${customer.name} <${customer.email}> ${customer.status}` : invoice.customerId}`,
  );
  if (customer?.phone || customer?.country)
    printLine(`  contact      ${[customer.phone, customer.country].filter(Boolean).join(', ')}`);
  printLine(`  due          ${invoice.dueDate}${invoice.issueDate ? `, issued ${invoice.issueDate}` : ''}`);
  printLine(
    `  amount       ${money(invoice.amountDue)}, paid ${money(invoice.amountPaid)}, fees ${money(invoice.feesCharged)}`,
  );
  printLine(`  outstanding  ${money(invoice.outstanding)}`);
  printLine(
    `  stage        ${invoice.stage ?? '-'}${invoice.nextActionAt ? `, next action ${invoice.nextActionAt}` : ''}`,
  );
  if (invoice.flags.length) printLine(`  flags        ${invoice.flags.join(', ')}`);
  if (invoice.callTask) printLine(`  call task    ${JSON.stringify(invoice.callTask)}`);
  if (invoice.needsAttention) printLine(`  ! needs attention: ${invoice.needsAttention}`);
  if (invoice.credit > 0)
    printLine(`  ! credit     ${money(invoice.credit)} received beyond what is asked: refund or apply it`);
  printLine('Payments');
  for (const p of document.payments)
    printLine(
      `  ${p.occurredAt} ${p.kind.padEnd(7)} ${formatMoney(p.amount, p.currency, customer?.locale ?? 'en-US')} via ${p.provider} ${paymentState(p)}`,
    );
  if (!document.payments.length) printLine('  none');
  printLine('Reminders');
  for (const r of document.reminders)
    printLine(
      `  ${r.stage} ${r.status}${r.sentAt ? ` ${r.sentAt}` : ''}${r.fee ? ` fee ${money(r.fee)}` : ''}${r.messageId ? ` message ${r.messageId}` : ''}`,
    );
  if (!document.reminders.length) printLine('  none');
  printLine('Skips');
  for (const s of document.skips) printLine(`  ${s.at} ${s.reason}${'detail' in s ? `: ${s.detail}` : ''}`);
  if (!document.skips.length) printLine('  none');
  printLedger(document, money);
  if (document.responses.length) printLine('Customer answers');
  for (const r of document.responses)
    printLine(
      `  ${r.at} ${r.kind} ${r.status}${r.promisedFor ? ` pay by ${r.promisedFor}` : ''}${r.paidOn ? ` paid on ${r.paidOn}` : ''}${r.reference ? ` ref ${r.reference}` : ''}${r.heldThrough ? ` (held through ${r.heldThrough})` : ''}${r.message ? `: ${r.message.replace(/\s+/g, ' ')}` : ''}`,
    );
  if (document.care.length) printLine('Customer care');
  for (const c of document.care)
    printLine(
      `  ${c.at} ${c.action}${c.flag ? ` ${c.flag}` : ''} by ${c.by}${c.invoiceId ? '' : ' (customer)'}${c.until ? ` until ${c.until}` : ''}${c.reason ? `: ${c.reason}` : ''}`,
    );
};

export const registerShow = (program: Command): void => {
  withCommonOptions(
    program
      .command('show')
      .description('the invoice with its payments, reminders and skips (the audit trail)')
      .argument('<invoiceId>', 'the invoice id as imported'),
  ).action(
    action(async (invoiceId: string, flags: CommonOptions) => {
      const context = await createCliContext(flags);
      try {
        const audit = await buildInvoiceAudit(context)(invoiceId);
        if (!audit) throw new NotFoundError(`No invoice "${invoiceId}" in the store`);
        const document = withLedger(audit);
        if (flags.json) printJson(document);
        else printHuman(document);
        return 0;
      } finally {
        context.close();
      }
    }),
  );
};
