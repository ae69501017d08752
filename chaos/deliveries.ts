import { randomBytes } from 'node:crypto';
import {
  standardBody,
  standardHeaders,
  stripeEventBody,
  stripeHeaders,
} from '../test/support/payment-fixtures.ts';

/**
 * Signed webhook deliveries as the providers send them: Stripe's own signer and the
 * `standardwebhooks` signer, through the fixtures the payment tests use.
 */

export interface SignedDelivery {
  readonly path: string;
  readonly body: string;
  readonly headers: Record<string, string>;
  /** The provider's event id: what `show` lists as the payment's id. */
  readonly eventId: string;
}

export interface Secrets {
  readonly stripe: string;
  readonly payments: string;
}

const id = (prefix: string) => `${prefix}_${randomBytes(8).toString('hex')}`;

export const standardPayment = (
  secrets: Secrets,
  payment: { invoiceId: string; amount: number; currency: string; paymentId?: string },
  kind: 'payment' | 'refund' = 'payment',
): SignedDelivery => {
  const eventId = id('msg');
  const body = standardBody(kind === 'payment' ? 'payment.succeeded' : 'payment.refunded', {
    invoiceId: payment.invoiceId,
    amount: payment.amount,
    currency: payment.currency,
    paymentId: payment.paymentId ?? id('pay'),
  });
  return {
    path: '/webhooks/payments',
    body,
    headers: standardHeaders(body, secrets.payments, { id: eventId }),
    // The ledger keys events by provider-namespaced id.
    eventId: `standard:${eventId}`,
  };
};

/** `payment_intent.succeeded`, or `charge.refunded` for the charge's first refund. */
export const stripePayment = (
  secrets: Secrets,
  payment: {
    invoiceId: string;
    amount: number;
    currency: string;
    paymentIntent?: string;
    /** A refund: what the intent's one charge had refunded before it (Stripe's amounts are cumulative). */
    refundedBefore?: number;
  },
  kind: 'payment' | 'refund' = 'payment',
): SignedDelivery => {
  const eventId = id('evt');
  const metadata = { invoice_id: payment.invoiceId };
  const currency = payment.currency.toLowerCase();
  const intent = payment.paymentIntent ?? id('pi');
  const body =
    kind === 'payment'
      ? stripeEventBody(
          'payment_intent.succeeded',
          { id: intent, object: 'payment_intent', amount_received: payment.amount, currency, metadata },
          { id: eventId },
        )
      : stripeEventBody(
          'charge.refunded',
          {
            id: `ch_of_${intent}`,
            object: 'charge',
            amount_refunded: (payment.refundedBefore ?? 0) + payment.amount,
            currency,
            metadata,
            payment_intent: intent,
          },
          { id: eventId, previousAttributes: { amount_refunded: payment.refundedBefore ?? 0 } },
        );
  return {
    path: '/webhooks/stripe',
    body,
    headers: stripeHeaders(body, secrets.stripe),
    eventId: `stripe:${eventId}`,
  };
};

/** The provider's payment reference inside a delivery body (the same money, told twice). */
export const settlementOf = (delivery: SignedDelivery): string | undefined => {
  const body = JSON.parse(delivery.body) as {
    data: { paymentId?: string; object?: { id?: string; object?: string } };
  };
  if (delivery.path === '/webhooks/payments') return body.data.paymentId;
  return body.data.object?.object === 'payment_intent' ? body.data.object.id : undefined;
};
