import { describe, expect, it } from 'vitest';
import { InvalidWebhookBodyError } from '../../functions/shared/domain/payments/event.ts';
import { paymentFromStandardEvent } from '../../functions/shared/domain/payments/standard-event.ts';
import { paymentFromStripeEvent } from '../../functions/shared/domain/payments/stripe-event.ts';

const stripeEvent = (type: string, object: Record<string, unknown>, previous?: Record<string, unknown>) => ({
  id: 'evt_1',
  type,
  created: 1_900_000_000,
  data: { object, ...(previous ? { previous_attributes: previous } : {}) },
});

describe('Stripe event to payment', () => {
  it('reads a paid Checkout session from client_reference_id with amount_total, currency upper-cased', () => {
    const mapped = paymentFromStripeEvent(
      stripeEvent('checkout.session.completed', {
        id: 'cs_1',
        payment_status: 'paid',
        amount_total: 12_345,
        currency: 'eur',
        client_reference_id: 'INV-9',
        payment_intent: 'pi_1',
        metadata: {},
      }),
    );

    expect(mapped).toEqual({
      eventId: 'stripe:evt_1',
      provider: 'stripe',
      type: 'checkout.session.completed',
      invoiceId: 'INV-9',
      kind: 'payment',
      amount: 12_345,
      currency: 'EUR',
      occurredAt: '2030-03-17T17:46:40.000Z',
      providerPaymentId: 'pi_1',
      refs: ['stripe:pi_1', 'stripe:cs_1'],
    });
  });

  it('prefers metadata.invoice_id over client_reference_id', () => {
    const mapped = paymentFromStripeEvent(
      stripeEvent('checkout.session.completed', {
        id: 'cs_1',
        payment_status: 'paid',
        amount_total: 100,
        currency: 'usd',
        client_reference_id: 'OTHER',
        metadata: { invoice_id: 'INV-1' },
      }),
    );

    expect(mapped).toMatchObject({ invoiceId: 'INV-1' });
  });

  it('ignores a Checkout session that is not paid yet', () => {
    const mapped = paymentFromStripeEvent(
      stripeEvent('checkout.session.completed', {
        id: 'cs_1',
        payment_status: 'unpaid',
        amount_total: 100,
        currency: 'usd',
        client_reference_id: 'INV-1',
      }),
    );

    expect(mapped).toEqual({
      ignored: true,
      eventId: 'stripe:evt_1',
      type: 'checkout.session.completed',
      reason: 'payment_status unpaid',
    });
  });

  it('ignores a payment of nothing (a 0.00 invoice marked paid) rather than recording it', () => {
    const mapped = paymentFromStripeEvent(
      stripeEvent('invoice.paid', {
        id: 'in_0',
        amount_paid: 0,
        currency: 'usd',
        metadata: { invoice_id: 'INV-0' },
      }),
    );

    expect(mapped).toEqual({
      ignored: true,
      eventId: 'stripe:evt_1',
      type: 'invoice.paid',
      reason: 'zero amount',
    });
  });

  it('takes amount_received of a payment intent and amount_paid of an invoice', () => {
    const intent = paymentFromStripeEvent(
      stripeEvent('payment_intent.succeeded', {
        id: 'pi_2',
        amount_received: 500,
        currency: 'jpy',
        metadata: { invoice_id: 'INV-2' },
      }),
    );
    const invoice = paymentFromStripeEvent(
      stripeEvent('invoice.paid', {
        id: 'in_3',
        amount_paid: 700,
        currency: 'gbp',
        metadata: { invoice_id: 'INV-3' },
      }),
    );

    expect(intent).toMatchObject({
      kind: 'payment',
      amount: 500,
      currency: 'JPY',
      refs: ['stripe:pi_2'],
    });
    expect(invoice).toMatchObject({ kind: 'payment', amount: 700, currency: 'GBP', invoiceId: 'INV-3' });
  });

  it('takes a refund as the increase of the cumulative amount_refunded', () => {
    const second = paymentFromStripeEvent(
      stripeEvent(
        'charge.refunded',
        { id: 'ch_1', amount_refunded: 800, currency: 'usd', metadata: { invoice_id: 'INV-1' } },
        { amount_refunded: 300 },
      ),
    );
    const first = paymentFromStripeEvent(
      stripeEvent('charge.refunded', {
        id: 'ch_1',
        amount_refunded: 300,
        currency: 'usd',
        metadata: { invoice_id: 'INV-1' },
      }),
    );

    expect(second).toMatchObject({ kind: 'refund', amount: 500, refunded: { from: 300, to: 800 } });
    expect(first).toMatchObject({ kind: 'refund', amount: 300, refunded: { from: 0, to: 300 } });
  });

  it('ignores event types docs/webhooks.md does not list; an object without an invoice reference goes by its ids', () => {
    const other = paymentFromStripeEvent(stripeEvent('customer.created', { id: 'cus_1' }));
    const unreferenced = paymentFromStripeEvent(
      stripeEvent('payment_intent.succeeded', {
        id: 'pi_1',
        amount_received: 5,
        currency: 'usd',
        metadata: {},
      }),
    );

    expect(other).toMatchObject({ ignored: true, reason: 'event type not used by dunning' });
    expect(unreferenced).not.toHaveProperty('invoiceId');
    expect(unreferenced).toMatchObject({ refs: ['stripe:pi_1'] });
  });

  it('rejects a listed event whose amount is not an integer, naming the field', () => {
    const act = () =>
      paymentFromStripeEvent(
        stripeEvent('invoice.paid', {
          id: 'in_1',
          amount_paid: 10.5,
          currency: 'usd',
          metadata: { invoice_id: 'I' },
        }),
      );

    expect(act).toThrow(InvalidWebhookBodyError);
    expect(act).toThrow(/data\.object\.amount_paid/);
  });

  it('refuses amounts beyond what is exact in a JavaScript or DynamoDB number, naming the field', () => {
    const huge = (amount: number) => () =>
      paymentFromStripeEvent(
        stripeEvent('payment_intent.succeeded', {
          id: 'pi_1',
          amount_received: amount,
          currency: 'usd',
          metadata: { invoice_id: 'I' },
        }),
      );
    const converted = () =>
      paymentFromStripeEvent(
        stripeEvent('payment_intent.succeeded', {
          id: 'pi_1',
          amount_received: 2 ** 52,
          currency: 'mga',
          metadata: { invoice_id: 'I' },
        }),
      );

    expect(huge(2 ** 53)).toThrow(/^data\.object\.amount_received: Too big/);
    expect(huge(1e30)).toThrow(/^data\.object\.amount_received: /);
    expect(converted).toThrow(/^data\.object\.amount_received: too large for MGA/);
  });
});

describe('Standard Webhooks event to payment', () => {
  it('keys the payment by webhook-id and upper-cases the currency', () => {
    const mapped = paymentFromStandardEvent('msg_1', {
      type: 'payment.refunded',
      data: {
        invoiceId: 'INV-1',
        paymentId: 'p1',
        amount: 250,
        currency: 'chf',
        occurredAt: '2030-01-02T10:00:00+01:00',
      },
    });

    expect(mapped).toEqual({
      eventId: 'standard:msg_1',
      provider: 'standard',
      type: 'payment.refunded',
      invoiceId: 'INV-1',
      kind: 'refund',
      amount: 250,
      currency: 'CHF',
      occurredAt: '2030-01-02T09:00:00.000Z',
      providerPaymentId: 'p1',
      refs: ['standard:p1'],
    });
  });

  it('rejects a float amount, an unknown type and a missing field with a short reason', () => {
    const data = {
      invoiceId: 'I',
      paymentId: 'p',
      amount: 1,
      currency: 'USD',
      occurredAt: '2030-01-01T00:00:00Z',
    };

    expect(() =>
      paymentFromStandardEvent('m', { type: 'payment.succeeded', data: { ...data, amount: 1.5 } }),
    ).toThrow(/^data\.amount: /);
    expect(() => paymentFromStandardEvent('m', { type: 'payment.voided', data })).toThrow(/^type: /);
    expect(() =>
      paymentFromStandardEvent('m', { type: 'payment.succeeded', data: { ...data, amount: 2 ** 53 + 2 } }),
    ).toThrow(/^data\.amount: Too big/);
    expect(() =>
      paymentFromStandardEvent('m', { type: 'payment.succeeded', data: { ...data, invoiceId: undefined } }),
    ).toThrow(/^data\.invoiceId: /);
  });
});
