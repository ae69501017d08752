import type { Invoice, Payment } from '../model.ts';
import { FLAG_REFUND_EXCEEDS_PAYMENT } from './event.ts';
import type { PaymentRecord } from './ports.ts';
import { type Settlement, settlementOf } from './settlements.ts';

/** Why a recorded payment or refund is not (wholly) on the invoice, as `dunning show` states it. */
export const NOT_APPLIED = {
  /** The same money was already counted from an earlier event (e.g. Checkout, then its PaymentIntent). */
  duplicate: 'duplicate',
  /** A refund of money not paid on this invoice yet: it counts once its payment arrives. */
  waiting: 'waiting_for_payment',
  /** Recorded, but the invoice update did not happen (interrupted); the provider's retry completes it. */
  interrupted: 'not_applied',
  refundExceedsPayment: FLAG_REFUND_EXCEEDS_PAYMENT,
} as const;

export type InvoiceLedger = Pick<Invoice, 'settlements' | 'appliedEventIds'>;

const byTime = (a: PaymentRecord, b: PaymentRecord) =>
  a.occurredAt.localeCompare(b.occurredAt) || a.paymentId.localeCompare(b.paymentId);

const line = (record: PaymentRecord, applied: boolean, extra: Partial<Payment> = {}): Payment => ({
  paymentId: record.paymentId,
  provider: record.provider,
  invoiceId: record.invoiceId,
  amount: record.amount,
  currency: record.currency,
  occurredAt: record.occurredAt,
  kind: record.kind,
  applied,
  ...(record.flag ? { flag: record.flag } : {}),
  ...extra,
});

/** The share of a refund within what its payment brought: Stripe's by its cumulative place, others in order. */
const refundShare = (
  record: PaymentRecord,
  settlement: Settlement,
  used: Map<Settlement, number>,
): number => {
  const { paid } = settlement;
  const within = (from: number, to: number) => Math.max(0, Math.min(to, paid) - Math.min(from, paid));
  if (record.refunded) return within(record.refunded.from, record.refunded.to);
  const from = used.get(settlement) ?? Math.min(settlement.refundedTo ?? 0, paid);
  used.set(settlement, from + record.amount);
  return within(from, from + record.amount);
};

/**
 * Each payment record of an invoice with whether it counts and, when not, why: the audit trail of
 * `dunning show` and the input of the report's recoveries. Read from the invoice's settlements (the
 * source of truth), so a record left by an interrupted write never reads as applied.
 */
export const paymentLines = (invoice: InvoiceLedger, records: readonly PaymentRecord[]): Payment[] => {
  const used = new Map<Settlement, number>();
  return [...records].sort(byTime).map((record) => {
    if (record.flag) return line(record, false, { reason: record.flag });
    const settlements = invoice.settlements;
    // Invoices from before settlements: an event counted exactly when its id is on the invoice.
    if (!settlements || !record.refs)
      return invoice.appliedEventIds.includes(record.paymentId)
        ? line(record, true)
        : line(record, false, { reason: NOT_APPLIED.interrupted });
    const found = settlementOf(settlements, record.refs)?.[1];
    if (!found) return line(record, false, { reason: NOT_APPLIED.interrupted });
    if (record.duplicate) return line(record, false, { reason: NOT_APPLIED.duplicate });
    if (record.kind === 'payment') return line(record, true);
    if (found.paid === 0) return line(record, false, { reason: NOT_APPLIED.waiting });
    const share = refundShare(record, found, used);
    if (share === record.amount) return line(record, true);
    const excess = { flag: FLAG_REFUND_EXCEEDS_PAYMENT, reason: NOT_APPLIED.refundExceedsPayment };
    return share > 0 ? line(record, true, { ...excess, appliedAmount: share }) : line(record, false, excess);
  });
};

/** The signed amount a line moves the invoice's received total by. */
export const appliedEffect = (payment: Payment): number => {
  if (!payment.applied) return 0;
  const amount = payment.appliedAmount ?? payment.amount;
  return payment.kind === 'refund' ? -amount : amount;
};
