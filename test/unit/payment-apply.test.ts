import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Invoice, outstanding } from '../../functions/shared/domain/model.ts';
import { applyPaymentEvent, type InvoiceChange } from '../../functions/shared/domain/payments/apply.ts';
import type { PaymentEvent } from '../../functions/shared/domain/payments/event.ts';
import { loadPolicy } from '../../functions/shared/policy.ts';
import { anInvoice } from '../support/payment-fixtures.ts';

const policy = loadPolicy();
const ZONE = 'America/New_York';

const event = (overrides: Partial<PaymentEvent> = {}): PaymentEvent => ({
  eventId: 'evt_1',
  provider: 'standard',
  type: 'payment.succeeded',
  invoiceId: 'INV-1',
  kind: 'payment',
  amount: 4_000,
  currency: 'USD',
  occurredAt: '2030-02-01T12:00:00.000Z',
  ...overrides,
});

/** What the conditional update does to the item, for simulating a sequence of deliveries. */
const written = (invoice: Invoice, change: InvoiceChange): Invoice => ({
  ...invoice,
  amountReceived: change.amountReceived,
  status: change.status,
  flags: change.flags,
  appliedEventIds: [...invoice.appliedEventIds, ...change.appliedIds],
  version: invoice.version + 1,
  nextActionAt:
    change.due.kind === 'remove'
      ? undefined
      : change.due.kind === 'set'
        ? change.due.at.toISOString()
        : invoice.nextActionAt,
});

const deliver = (invoice: Invoice, delivery: PaymentEvent): Invoice => {
  const decision = applyPaymentEvent(invoice, delivery, ZONE, policy);
  return decision.outcome === 'duplicate' ? invoice : written(invoice, decision.change);
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

  it('reopens a paid invoice on a refund and puts it back on its schedule in the customer zone', () => {
    const paid = anInvoice({ amountReceived: 10_000, status: 'paid', nextActionAt: undefined });

    const decision = applyPaymentEvent(paid, event({ kind: 'refund', amount: 2_500 }), ZONE, policy);

    expect(decision).toMatchObject({ outcome: 'applied', change: { amountReceived: 7_500, status: 'open' } });
    // The first stage (courtesy, 3 days before 2030-01-31) at midnight New York time.
    expect(decision.outcome === 'applied' && decision.change.due).toEqual({
      kind: 'set',
      at: new Date('2030-01-28T05:00:00.000Z'),
    });
  });

  it('flags a payment in another currency, applies nothing and keeps its place for the run to skip', () => {
    const decision = applyPaymentEvent(anInvoice(), event({ currency: 'EUR' }), ZONE, policy);

    expect(decision).toMatchObject({
      outcome: 'flagged',
      flag: 'currency_mismatch',
      change: { amountReceived: 0, status: 'open', flags: ['currency_mismatch'], due: { kind: 'keep' } },
    });
  });

  it('changes nothing for an event id already applied', () => {
    const decision = applyPaymentEvent(anInvoice({ appliedEventIds: ['evt_1'] }), event(), ZONE, policy);

    expect(decision).toEqual({ outcome: 'duplicate' });
  });

  it('counts one Stripe payment once when Checkout and the PaymentIntent both report it', () => {
    const first = deliver(anInvoice(), event({ eventId: 'evt_cs', settlementKey: 'stripe:pi_1' }));

    const second = applyPaymentEvent(
      first,
      event({ eventId: 'evt_pi', settlementKey: 'stripe:pi_1' }),
      ZONE,
      policy,
    );

    expect(first.amountReceived).toBe(4_000);
    expect(second).toEqual({ outcome: 'duplicate', flag: 'duplicate_payment' });
  });

  it('ends in the same state whatever the order of payments and refunds, and repeats change nothing', () => {
    const deliveries = fc
      .array(
        fc.record({
          kind: fc.constantFrom('payment' as const, 'refund' as const),
          amount: fc.integer({ min: 1, max: 6_000 }),
        }),
        { minLength: 1, maxLength: 8 },
      )
      .map((moves) => moves.map((move, index) => event({ ...move, eventId: `evt_${index}` })));

    fc.assert(
      fc.property(
        deliveries.chain((events) =>
          fc.tuple(
            fc.constant(events),
            fc.shuffledSubarray([...events, ...events], { minLength: events.length * 2 }),
          ),
        ),
        ([events, shuffledWithRepeats]) => {
          const inOrder = events.reduce(deliver, anInvoice());
          const shuffled = shuffledWithRepeats.reduce(deliver, anInvoice());
          const net = events.reduce((sum, e) => sum + (e.kind === 'payment' ? e.amount : -e.amount), 0);

          expect(shuffled.amountReceived).toBe(net);
          expect(inOrder.amountReceived).toBe(net);
          expect(shuffled.status).toBe(outstanding(shuffled) === 0 ? 'paid' : 'open');
          expect(shuffled.nextActionAt === undefined).toBe(shuffled.status === 'paid');
          expect(outstanding(shuffled)).toBeGreaterThanOrEqual(0);
        },
      ),
      { numRuns: 200 },
    );
  });
});
