import { describe, expect, it } from 'vitest';
import type { Payment } from '../../functions/shared/domain/model.ts';
import { ReportBuilder } from '../../functions/shared/domain/report/builder.ts';
import { reportMoment } from '../../functions/shared/domain/report/period.ts';
import { anInvoice } from '../support/payment-fixtures.ts';

const moment = reportMoment('2026-03-31', 'UTC', new Date('2030-01-01T00:00:00Z'));
const sentAt = '2026-03-10T09:00:00.000Z';
const reminded = {
  first: { stage: 'first', status: 'sent' as const, claimedAt: sentAt, runId: 'r1', sentAt },
};

const line = (
  kind: Payment['kind'],
  amount: number,
  occurredAt: string,
  extra: Partial<Payment> = {},
): Payment => ({
  paymentId: `standard:${kind}-${occurredAt}`,
  provider: 'standard',
  invoiceId: 'INV-1',
  amount,
  currency: 'USD',
  occurredAt,
  kind,
  applied: true,
  ...extra,
});

describe('Recovered money in the report', () => {
  it('counts only what the invoice asked for, and lists the excess as a credit for a person', () => {
    const builder = new ReportBuilder(moment, 'UTC');
    const invoice = anInvoice({
      amountDue: 10_000,
      amountReceived: 12_500,
      status: 'paid',
      claims: reminded,
    });

    builder.addPayments(invoice, [line('payment', 12_500, '2026-03-20T10:00:00.000Z')]);
    const report = builder.build();

    expect(report.currencies).toEqual([expect.objectContaining({ currency: 'USD', recovered: 10_000 })]);
    expect(report.credits).toEqual([
      { invoiceId: 'INV-1', invoiceNumber: 'INV-1', customerId: 'C-1', currency: 'USD', credit: 2_500 },
    ]);
  });

  it('takes a refund of the excess back from the credit, not from what was recovered', () => {
    const builder = new ReportBuilder(moment, 'UTC');
    const invoice = anInvoice({
      amountDue: 10_000,
      amountReceived: 10_000,
      status: 'paid',
      claims: reminded,
    });

    builder.addPayments(invoice, [
      line('payment', 12_500, '2026-03-20T10:00:00.000Z'),
      line('refund', 2_500, '2026-03-21T10:00:00.000Z'),
      // Refunds beyond their payment count only their applied part; a waiting one counts nothing.
      line('refund', 900, '2026-03-22T10:00:00.000Z', { applied: false, reason: 'waiting_for_payment' }),
    ]);
    const report = builder.build();

    expect(report.currencies[0]?.recovered).toBe(10_000);
    expect(report.credits).toEqual([]);
  });
});
