import { describe, expect, it } from 'vitest';
import { paymentUrlFor, reachedStage, reminderLine } from '../../functions/shared/domain/reminder/line.ts';
import { customer, invoice, NOW, PAYMENT_URL_TEMPLATE, policy, stage } from './reminder-fixtures.ts';

describe('Stage an invoice has reached', () => {
  it('is the highest stage whose date has come, never the ones it jumped over', () => {
    const reached = reachedStage(invoice({ dueDate: '2026-02-10' }), 'Europe/Berlin', policy, NOW);

    expect(reached.name).toBe('third');
  });

  it('is the first stage when none has come yet', () => {
    const reached = reachedStage(invoice({ dueDate: '2026-05-01' }), 'Europe/Berlin', policy, NOW);

    expect(reached.name).toBe('courtesy');
  });

  it('depends on the calendar day in the customer zone', () => {
    // 11:30 UTC on 20 March: already 21 March on Kiritimati (UTC+14), still 20 March in Pago Pago (UTC-11).
    const instant = new Date('2026-03-20T11:30:00Z');
    const due = invoice({ dueDate: '2026-03-07' });

    expect(reachedStage(due, 'Pacific/Kiritimati', policy, instant).name).toBe('second');
    expect(reachedStage(due, 'Pacific/Pago_Pago', policy, instant).name).toBe('first');
  });
});

describe('Reminder line', () => {
  const lineFor = (stageName: string, overrides = {}) =>
    reminderLine({
      invoice: invoice(overrides),
      customer: customer(),
      stage: stage(stageName),
      now: NOW,
      paymentUrlTemplate: PAYMENT_URL_TEMPLATE,
    });

  it('adds the fee a stage would charge to what is owed', () => {
    const line = lineFor('third', { amountPaid: 23450 });

    expect(line.fee).toBe(1500);
    expect(line.outstanding).toBe(101500);
    expect(line.daysOverdue).toBe(14);
  });

  it('shows the fee a claim already charged without charging it twice', () => {
    const claimed = lineFor('third', {
      feesCharged: 1500,
      claims: {
        third: { stage: 'third', status: 'sent', claimedAt: '2026-03-20T09:00:00Z', runId: 'r-1', fee: 1500 },
      },
    });

    expect(claimed.fee).toBe(1500);
    expect(claimed.outstanding).toBe(124950);
  });

  it('links to the invoice own payment page, else the deployment template with the id encoded', () => {
    expect(paymentUrlFor({ invoiceId: 'a/b c', paymentUrl: undefined }, PAYMENT_URL_TEMPLATE)).toBe(
      'https://pay.example.com/invoices/a%2Fb%20c',
    );
    expect(
      paymentUrlFor({ invoiceId: 'x', paymentUrl: 'https://stripe.example/p/1' }, PAYMENT_URL_TEMPLATE),
    ).toBe('https://stripe.example/p/1');
  });
});
