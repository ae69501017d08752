import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Invoice, outstanding } from '../../functions/shared/domain/model.ts';
import {
  applyPaymentEvent,
  creditOf,
  type InvoiceChange,
  RECENT_EVENT_IDS,
} from '../../functions/shared/domain/payments/apply.ts';
import type { InvoicePaymentEvent } from '../../functions/shared/domain/payments/event.ts';
import { MAX_SETTLEMENT_ENTRIES, netReceived } from '../../functions/shared/domain/payments/settlements.ts';
import { loadPolicy } from '../../functions/shared/policy.ts';
import { anInvoice } from '../support/payment-fixtures.ts';

const policy = loadPolicy();
const ZONE = 'America/New_York';

const event = (overrides: Partial<InvoicePaymentEvent> = {}): InvoicePaymentEvent => ({
  eventId: 'standard:msg_1',
  provider: 'standard',
  type: 'payment.succeeded',
  invoiceId: 'INV-1',
  kind: 'payment',
  amount: 4_000,
  currency: 'USD',
  occurredAt: '2030-02-01T12:00:00.000Z',
  refs: ['standard:pay_1'],
  ...overrides,
});

/** What the conditional update does to the item, for simulating a sequence of deliveries. */
const written = (invoice: Invoice, change: InvoiceChange): Invoice => ({
  ...invoice,
  amountReceived: change.amountReceived,
  settlements: change.settlements,
  receivedBase: change.receivedBase,
  status: change.status,
  flags: change.flags,
  appliedEventIds: change.recentEventIds,
  version: invoice.version + 1,
  nextActionAt:
    change.due.kind === 'remove'
      ? undefined
      : change.due.kind === 'set'
        ? change.due.at.toISOString()
        : invoice.nextActionAt,
});

const deliver = (invoice: Invoice, delivery: InvoicePaymentEvent): Invoice => {
  const decision = applyPaymentEvent(invoice, delivery, ZONE, policy);
  return decision.change ? written(invoice, decision.change) : invoice;
};

describe('Applying a payment to an invoice', () => {
  it('reduces what is outstanding by a partial payment and keeps its place in the due index', () => {
    const decision = applyPaymentEvent(anInvoice(), event({ amount: 4_000 }), ZONE, policy);

    expect(decision).toMatchObject({
      outcome: 'applied',
      change: { amountReceived: 4_000, status: 'open', due: { kind: 'keep' }, expectedVersion: 1 },
    });
  });

  it('marks the invoice paid and takes it off the due index when nothing is left', () => {
    const decision = applyPaymentEvent(
      anInvoice({ amountPaid: 2_000 }),
      event({ amount: 8_000 }),
      ZONE,
      policy,
    );

    expect(decision).toMatchObject({
      outcome: 'applied',
      change: { status: 'paid', due: { kind: 'remove' } },
    });
  });

  it('leaves a handed-off invoice with the person on a part payment: it does not come back to dunning', () => {
    const decision = applyPaymentEvent(
      anInvoice({ status: 'handed_off', nextActionAt: undefined }),
      event({ amount: 4_000 }),
      ZONE,
      policy,
    );

    expect(decision).toMatchObject({
      outcome: 'applied',
      change: { amountReceived: 4_000, status: 'handed_off', due: { kind: 'remove' } },
    });
  });

  it('reopens a paid invoice on a refund of its payment and puts it back on its schedule in the customer zone', () => {
    const paid = deliver(anInvoice(), event({ amount: 10_000 }));

    const decision = applyPaymentEvent(
      paid,
      event({ eventId: 'standard:msg_2', kind: 'refund', amount: 2_500, type: 'payment.refunded' }),
      ZONE,
      policy,
    );

    expect(paid).toMatchObject({ status: 'paid', amountReceived: 10_000 });
    expect(decision).toMatchObject({ outcome: 'applied', change: { amountReceived: 7_500, status: 'open' } });
    // The first stage (courtesy, 3 days before 2030-01-31) at midnight New York time.
    expect(decision.outcome === 'applied' && decision.change.due).toEqual({
      kind: 'set',
      at: new Date('2030-01-28T05:00:00.000Z'),
    });
  });

  it('lets a refund that arrives before its payment wait, owing nothing more, and applies it with the payment', () => {
    const refund = event({
      eventId: 'standard:msg_r',
      kind: 'refund',
      amount: 1_500,
      type: 'payment.refunded',
    });

    const early = deliver(anInvoice(), refund);
    const both = deliver(early, event({ eventId: 'standard:msg_p', amount: 10_000 }));

    expect(early).toMatchObject({ amountReceived: 0, status: 'open' });
    expect(outstanding(early)).toBe(10_000);
    expect(both).toMatchObject({ amountReceived: 8_500, status: 'open' });
  });

  it('never lets a refund raise what is owed above the amount before its payment', () => {
    const paid = deliver(anInvoice(), event({ amount: 3_000 }));

    const refunded = deliver(paid, event({ eventId: 'standard:msg_2', kind: 'refund', amount: 5_000 }));

    expect(refunded.amountReceived).toBe(0);
    expect(outstanding(refunded)).toBe(10_000);
  });

  it('records an overpayment in full: the invoice is paid and the excess is its credit', () => {
    const paid = deliver(anInvoice({ amountDue: 10_000 }), event({ amount: 12_500 }));

    expect(paid).toMatchObject({ status: 'paid', amountReceived: 12_500 });
    expect(creditOf(paid)).toBe(2_500);
  });

  it('counts the late fees the invoice carries before any credit: only money beyond them is credit', () => {
    // 100.00 due, 15.00 fee charged, 20.00 of it paid before import: 95.00 is owed.
    const carried = anInvoice({ amountDue: 10_000, feesCharged: 1_500, amountPaid: 2_000 });

    const exact = deliver(carried, event({ amount: 9_500 }));
    const over = deliver(carried, event({ amount: 10_000 }));

    expect(exact).toMatchObject({ status: 'paid', amountReceived: 9_500 });
    expect(creditOf(exact)).toBe(0);
    expect(over).toMatchObject({ status: 'paid', amountReceived: 10_000 });
    expect(creditOf(over)).toBe(500);
  });

  it('flags a payment in another currency, applies nothing and keeps its place for the run to skip', () => {
    const decision = applyPaymentEvent(anInvoice(), event({ currency: 'EUR' }), ZONE, policy);

    expect(decision).toMatchObject({
      outcome: 'flagged',
      flag: 'currency_mismatch',
      change: { amountReceived: 0, status: 'open', flags: ['currency_mismatch'], due: { kind: 'keep' } },
    });
  });

  it('holds an amount Stripe units could not convert exactly, like a currency mismatch', () => {
    const decision = applyPaymentEvent(anInvoice(), event({ flag: 'amount_inexact' }), ZONE, policy);

    expect(decision).toMatchObject({
      outcome: 'flagged',
      flag: 'amount_inexact',
      change: { amountReceived: 0 },
    });
  });

  it('changes nothing for an event id applied a moment ago, and keeps only the latest ids', () => {
    const many = Array.from({ length: RECENT_EVENT_IDS + 5 }, (_, i) => `standard:msg_${i}`);

    const decision = applyPaymentEvent(
      anInvoice({ appliedEventIds: many }),
      event({ eventId: 'standard:msg_x' }),
      ZONE,
      policy,
    );

    expect(
      applyPaymentEvent(anInvoice({ appliedEventIds: ['standard:msg_1'] }), event(), ZONE, policy),
    ).toEqual({
      outcome: 'duplicate',
    });
    expect(decision.outcome === 'applied' && decision.change.recentEventIds).toHaveLength(RECENT_EVENT_IDS);
  });

  it('counts an invoice item that predates settlements from what it had received', () => {
    const legacy = anInvoice({ amountReceived: 2_000 });

    const decision = applyPaymentEvent(legacy, event({ amount: 1_000 }), ZONE, policy);

    expect(decision).toMatchObject({
      outcome: 'applied',
      change: { receivedBase: 2_000, amountReceived: 3_000 },
    });
  });

  it('records separate payments beyond the bound flagged, leaving the invoice as it is', () => {
    const invoice = Array.from({ length: MAX_SETTLEMENT_ENTRIES }, (_, i) => i).reduce(
      (current, i) =>
        deliver(current, event({ eventId: `standard:m${i}`, refs: [`standard:p${i}`], amount: 1 })),
      anInvoice({ amountDue: 1_000_000 }),
    );

    const decision = applyPaymentEvent(
      invoice,
      event({ eventId: 'standard:one_more', refs: ['standard:p_more'] }),
      ZONE,
      policy,
    );

    expect(invoice.amountReceived).toBe(MAX_SETTLEMENT_ENTRIES);
    expect(decision).toEqual({ outcome: 'flagged', flag: 'too_many_payments' });
  });
});

/**
 * One Stripe payment as its events report it, in both API families: Checkout session, PaymentIntent,
 * Stripe invoice (before basil naming its PaymentIntent, after basil through an invoice payment), and
 * cumulative refunds of its Charge.
 */
const stripePayment = (n: number, amount: number, refundLevels: readonly number[]) => {
  const pi = `stripe:pi_${n}`;
  const ch = `stripe:ch_${n}`;
  const inv = `stripe:in_${n}`;
  const base = {
    provider: 'stripe' as const,
    invoiceId: 'INV-1',
    currency: 'USD',
    occurredAt: '2030-02-01T12:00:00.000Z',
  };
  const pay = (
    id: string,
    type: string,
    refs: string[],
    extra: Partial<InvoicePaymentEvent> = {},
  ): InvoicePaymentEvent => ({
    ...base,
    eventId: `stripe:evt_${id}_${n}`,
    type,
    kind: 'payment',
    amount,
    refs,
    ...extra,
  });
  const levels = [0, ...refundLevels];
  return [
    pay('cs', 'checkout.session.completed', [pi, `stripe:cs_${n}`]),
    pay('pi', 'payment_intent.succeeded', [pi, ch]),
    pay('inv_old', 'invoice.paid', [pi, ch, inv]),
    pay('inv_new', 'invoice.paid', [inv]),
    pay('inpay', 'invoice_payment.paid', [pi, `stripe:inpay_${n}`], { group: inv }),
    ...refundLevels.map((to, i) => ({
      ...base,
      eventId: `stripe:evt_rf${i}_${n}`,
      type: 'charge.refunded',
      kind: 'refund' as const,
      amount: to - (levels[i] as number),
      refs: [pi, ch],
      refunded: { from: levels[i] as number, to },
    })),
  ];
};

describe('The same money counted once', () => {
  it('applies one Stripe payment once, whichever of its events arrive, in any order, repeated, old and new shapes', () => {
    const payments = fc.array(
      fc.record({
        amount: fc.integer({ min: 1, max: 8_000 }),
        refunds: fc
          .uniqueArray(fc.integer({ min: 1, max: 9_000 }), { maxLength: 3 })
          .map((levels) => levels.sort((a, b) => a - b)),
      }),
      { minLength: 1, maxLength: 3 },
    );
    fc.assert(
      fc.property(
        payments.chain((moneys) => {
          const events = moneys.flatMap((money, n) => stripePayment(n, money.amount, money.refunds));
          // Every refund and at least one payment event of each money arrive; the rest may not. A basil
          // invoice.paid names only its Stripe invoice: Stripe sends it with the invoice payment that
          // names the PaymentIntent (or, before basil, the invoice names it itself).
          const has = (chosen: InvoicePaymentEvent[], id: string) => chosen.some((e) => e.eventId === id);
          return fc.tuple(
            fc.constant(moneys),
            fc
              .shuffledSubarray([...events, ...events], { minLength: events.length })
              .filter(
                (chosen) =>
                  moneys.every((_, n) =>
                    chosen.some((e) => e.kind === 'payment' && e.refs.includes(`stripe:pi_${n}`)),
                  ) &&
                  moneys.every(
                    (_, n) =>
                      !has(chosen, `stripe:evt_inv_new_${n}`) ||
                      has(chosen, `stripe:evt_inpay_${n}`) ||
                      has(chosen, `stripe:evt_inv_old_${n}`),
                  ) &&
                  events.filter((e) => e.kind === 'refund').every((refund) => chosen.includes(refund)),
              ),
          );
        }),
        ([moneys, arriving]) => {
          const invoice = arriving.reduce(deliver, anInvoice({ amountDue: 50_000 }));
          // By hand: each payment once, less its charge's total refund, never below zero.
          const expected = moneys.reduce(
            (sum, m) => sum + m.amount - Math.min(m.amount, m.refunds.at(-1) ?? 0),
            0,
          );

          expect(invoice.amountReceived).toBe(expected);
          expect(netReceived(invoice.settlements ?? {})).toBe(expected);
          expect(outstanding(invoice)).toBe(50_000 - expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('counts a Stripe invoice paid in two invoice payments as its amount_paid, not twice', () => {
    const inv = 'stripe:in_9';
    const base = {
      provider: 'stripe' as const,
      invoiceId: 'INV-1',
      currency: 'USD',
      occurredAt: '2030-02-01T12:00:00.000Z',
      kind: 'payment' as const,
    };
    const arriving: InvoicePaymentEvent[] = [
      {
        ...base,
        eventId: 'stripe:evt_a',
        type: 'invoice_payment.paid',
        amount: 3_000,
        refs: ['stripe:pi_a', 'stripe:inpay_a'],
        group: inv,
      },
      { ...base, eventId: 'stripe:evt_inv', type: 'invoice.paid', amount: 5_000, refs: [inv] },
      {
        ...base,
        eventId: 'stripe:evt_b',
        type: 'invoice_payment.paid',
        amount: 2_000,
        refs: ['stripe:pi_b', 'stripe:inpay_b'],
        group: inv,
      },
    ];

    const forwards = arriving.reduce(deliver, anInvoice());
    const backwards = [...arriving].reverse().reduce(deliver, anInvoice());

    expect(forwards.amountReceived).toBe(5_000);
    expect(backwards.amountReceived).toBe(5_000);
  });
});
