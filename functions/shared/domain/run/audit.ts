import type { AnswerRecord } from '../answers/kinds.ts';
import { responsesOf } from '../answers/show.ts';
import type { CareEvent } from '../customer-care/events.ts';
import { type Customer, type Invoice, outstanding, type Payment, type Skip } from '../model.ts';
import { creditOf } from '../payments/apply.ts';

/** A `REMINDER#<stage>` record as versions before the stage claim held the whole record wrote it. */
export interface ReminderRecord {
  readonly stage: string;
  readonly status: string;
  readonly sentAt?: string;
  readonly messageId?: string;
  readonly fee?: number;
}

/** Everything the store holds about one invoice: what `dunning show` prints. */
export interface InvoiceAudit {
  readonly invoice: Invoice;
  /** Attributes of the invoice item beyond the model: the call task, what needs an operator. */
  readonly callTask?: unknown;
  readonly needsAttention?: string;
  readonly customer?: Customer;
  readonly payments: readonly Payment[];
  readonly reminders: readonly ReminderRecord[];
  readonly skips: readonly Skip[];
  /** Pauses, opt-outs, bounces and disputes of the customer and this invoice, oldest first. */
  readonly care?: readonly CareEvent[];
  /** The customer's answers from reminders' links that name this invoice. */
  readonly answers?: readonly AnswerRecord[];
}

/** The invoice's reminders: one per stage claim (oldest first), then any record without a claim. */
const remindersOf = (audit: InvoiceAudit) => {
  const records = new Map(audit.reminders.map((record) => [record.stage, record]));
  const fromClaims = Object.values(audit.invoice.claims)
    .sort((a, b) => a.claimedAt.localeCompare(b.claimedAt))
    .map((claim) => {
      const record = records.get(claim.stage);
      records.delete(claim.stage);
      return {
        stage: claim.stage,
        status: claim.status,
        sentAt: claim.sentAt ?? record?.sentAt ?? null,
        messageId: claim.messageId ?? record?.messageId ?? null,
        fee: claim.fee ?? record?.fee ?? 0,
      };
    });
  const orphans = [...records.values()].map((record) => ({
    stage: record.stage,
    status: record.status,
    sentAt: record.sentAt ?? null,
    messageId: record.messageId ?? null,
    fee: record.fee ?? 0,
  }));
  return [...fromClaims, ...orphans];
};

const invoiceOf = (audit: InvoiceAudit) => {
  const { invoice } = audit;
  return {
    invoiceId: invoice.invoiceId,
    invoiceNumber: invoice.invoiceNumber,
    customerId: invoice.customerId,
    currency: invoice.currency,
    amountDue: invoice.amountDue,
    // What has been paid in total: the amount paid before import plus what payments brought since.
    amountPaid: invoice.amountPaid + invoice.amountReceived,
    outstanding: outstanding(invoice),
    issueDate: invoice.issueDate ?? null,
    dueDate: invoice.dueDate,
    stage: invoice.stage ?? null,
    status: invoice.status,
    feesCharged: invoice.feesCharged,
    // Received beyond what the invoice asks: to refund to the customer or apply to another invoice.
    credit: creditOf(invoice),
    nextActionAt: invoice.nextActionAt ?? null,
    flags: invoice.flags,
    ...(audit.callTask ? { callTask: audit.callTask } : {}),
    ...(audit.needsAttention ? { needsAttention: audit.needsAttention } : {}),
  };
};

const customerOf = (customer: Customer) => ({
  customerId: customer.customerId,
  name: customer.name,
  email: customer.email,
  locale: customer.locale,
  timeZone: customer.timeZone,
  status: customer.status,
  ...(customer.phone ? { phone: customer.phone } : {}),
  ...(customer.country ? { country: customer.country } : {}),
  ...(customer.address ? { address: customer.address } : {}),
  ...(customer.pausedUntil ? { pausedUntil: customer.pausedUntil } : {}),
  ...(customer.pauseReason ? { pauseReason: customer.pauseReason } : {}),
  ...(customer.lastReminderAt ? { lastReminderAt: customer.lastReminderAt } : {}),
});

const paymentOf = (payment: Payment) => ({
  paymentId: payment.paymentId,
  provider: payment.provider,
  amount: payment.amount,
  currency: payment.currency,
  occurredAt: payment.occurredAt,
  kind: payment.kind,
  applied: payment.applied,
  ...(payment.reason ? { reason: payment.reason } : {}),
  ...(payment.appliedAmount !== undefined ? { appliedAmount: payment.appliedAmount } : {}),
  ...(payment.flag ? { flag: payment.flag } : {}),
});

/**
 * The `dunning show --json` document (docs/cli.md). Reminders come from the invoice's stage
 * claims, the source of truth for their status (a claim whose outcome is unknown has no record).
 */
export const showDocument = (audit: InvoiceAudit, now: Date = new Date()) => {
  const { invoice, customer } = audit;
  return {
    invoice: invoiceOf(audit),
    customer: customer ? customerOf(customer) : null,
    payments: audit.payments.map(paymentOf),
    reminders: remindersOf(audit),
    skips: audit.skips.map((skip) => ({
      at: skip.at,
      reason: skip.reason,
      ...(skip.detail ? { detail: skip.detail } : {}),
    })),
    care: audit.care ?? [],
    responses: responsesOf(audit.answers ?? [], invoice, customer, now),
  };
};

export type ShowDocument = ReturnType<typeof showDocument>;
