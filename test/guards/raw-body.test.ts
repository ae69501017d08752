import { describe, expect, it } from 'vitest';
import { createWebhookReceiver } from '../../functions/payment/receive-webhook.ts';
import type { PaymentEvent } from '../../functions/shared/domain/payments/event.ts';
import { standardHeaders, stripeEventBody, stripeHeaders, testSecrets } from '../support/payment-fixtures.ts';

/**
 * Guard: a signature is checked over the bytes that came, never over a body parsed and written out
 * again. A provider signs its own layout (Stripe's deliveries are indented JSON), so a receiver that
 * re-serialises before verifying refuses every genuine event; one that verifies the raw bytes takes
 * them, whatever their whitespace.
 */

const secrets = testSecrets();
const silent = { warn: () => {}, error: () => {}, info: () => {} };

const receiver = () => {
  const recorded: PaymentEvent[] = [];
  const receive = createWebhookReceiver({
    secrets: async () => secrets,
    record: async (event) => {
      recorded.push(event);
      return 'applied';
    },
    observe: () => {},
    logger: silent,
  });
  return { receive, recorded };
};

/** JSON laid out as a provider may send it: indented, one member per line, a trailing newline. */
const indented = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

describe('Guard: signatures over the raw body', () => {
  it('takes a Stripe event signed over its indented body as delivered', async () => {
    const compact = stripeEventBody(
      'payment_intent.succeeded',
      {
        id: 'pi_raw_1',
        object: 'payment_intent',
        amount_received: 120_00,
        currency: 'eur',
        metadata: { invoice_id: 'INV-RAW-1' },
      },
      { id: 'evt_raw_1' },
    );
    const body = indented(JSON.parse(compact));
    const { receive, recorded } = receiver();

    const response = await receive({
      method: 'POST',
      path: '/webhooks/stripe',
      headers: stripeHeaders(body, secrets.stripe),
      rawBody: Buffer.from(body),
    });

    expect(response.status).toBe(200);
    expect(recorded.map((event) => event.eventId)).toEqual(['stripe:evt_raw_1']);
  });

  it('takes a Standard Webhooks event signed over its indented body as delivered', async () => {
    const body = indented({
      type: 'payment.succeeded',
      data: {
        invoiceId: 'INV-RAW-2',
        paymentId: 'pay_raw_2',
        amount: 120_00,
        currency: 'EUR',
        occurredAt: new Date().toISOString(),
      },
    });
    const { receive, recorded } = receiver();

    const response = await receive({
      method: 'POST',
      path: '/webhooks/payments',
      headers: standardHeaders(body, secrets.payments, { id: 'msg_raw_2' }),
      rawBody: Buffer.from(body),
    });

    expect(response.status).toBe(200);
    expect(recorded.map((event) => event.eventId)).toEqual(['standard:msg_raw_2']);
  });
});
