import * as z from '../../validation.ts';
import { shortReason } from './body-reason.ts';
import { InvalidWebhookBodyError, type MappedEvent, type PaymentEvent } from './event.ts';

/**
 * Stripe events as section 4 of the contract reads them. Only the fields used are checked; Stripe
 * adds fields freely. Amounts are integers in the minor unit and currencies lower case.
 */
const minor = z.number().check(z.int(), z.nonnegative());
const currency = z.string().check(z.regex(/^[a-zA-Z]{3}$/, 'expected an ISO 4217 code'));
const metadata = z.nullish(z.record(z.string(), z.string()));
// Ids end up in DynamoDB sort keys (1 KiB, 4 bytes a character at worst): Stripe's are ~30 characters.
const id = z.string().check(z.minLength(1), z.maxLength(200));
/** The bound the Standard Webhooks body puts on `invoiceId`; the invoice id is part of a key too. */
const MAX_INVOICE_REFERENCE = 200;
const intentReference = z.nullish(z.union([z.string(), z.object({ id })]));

const envelope = z.object({
  id,
  type: id,
  created: z.number().check(z.int(), z.positive()),
  data: z.object({ object: z.record(z.string(), z.unknown()), previous_attributes: z.optional(z.unknown()) }),
});

const checkoutSession = z.object({
  id,
  payment_status: z.string(),
  amount_total: z.nullable(minor),
  currency: z.nullable(currency),
  client_reference_id: z.nullish(z.string()),
  payment_intent: intentReference,
  metadata,
});
const paymentIntent = z.object({ id, amount_received: minor, currency, metadata });
const stripeInvoice = z.object({
  id,
  amount_paid: minor,
  currency,
  metadata,
  payment_intent: intentReference,
});
const charge = z.object({
  id,
  amount_refunded: minor,
  currency,
  metadata,
  payment_intent: intentReference,
});
const chargePrevious = z.nullish(z.partial(z.object({ amount_refunded: minor })));

export type StripeEnvelope = z.infer<typeof envelope>;

const parse = <T>(schema: z.ZodMiniType<T>, value: unknown, prefix: string): T => {
  const result = schema.safeParse(value);
  if (!result.success) throw new InvalidWebhookBodyError(`${prefix}${shortReason(result.error)}`);
  return result.data;
};

const intentId = (value: string | { id: string } | null | undefined) =>
  typeof value === 'string' ? value : value?.id;

/**
 * Maps a verified Stripe event to a payment or refund of one invoice. Event types the contract does
 * not list, unpaid Checkout sessions and objects without an invoice reference are ignored (2xx):
 * Stripe sends every event of an account to the endpoint, and most are none of dunning's business.
 *
 * `charge.refunded` carries the charge's cumulative `amount_refunded`; the refund this event reports
 * is that total minus `previous_attributes.amount_refunded` (Stripe sends the old value of every
 * changed field), so each event contributes its own refund and partial refunds arriving in any
 * order, or twice, add up to the charge's total. Without `previous_attributes` the event is the
 * charge's first refund.
 */
export const paymentFromStripeEvent = (body: unknown): MappedEvent => {
  const event = parse(envelope, body, '');
  const object = event.data.object;
  const base = {
    eventId: event.id,
    provider: 'stripe' as const,
    type: event.type,
    occurredAt: new Date(event.created * 1000).toISOString(),
  };
  const ignore = (reason: string): MappedEvent => ({
    ignored: true,
    eventId: event.id,
    type: event.type,
    reason,
  });
  const withInvoice = (
    invoiceId: string | null | undefined,
    rest: Omit<PaymentEvent, keyof typeof base | 'invoiceId'>,
  ): MappedEvent => {
    if (!invoiceId) return ignore('no invoice reference');
    if (invoiceId.length > MAX_INVOICE_REFERENCE)
      throw new InvalidWebhookBodyError(`invoice reference: over ${MAX_INVOICE_REFERENCE} characters`);
    if (rest.amount === 0) return ignore('zero amount');
    return { ...base, invoiceId, ...rest };
  };

  switch (event.type) {
    case 'checkout.session.completed': {
      const session = parse(checkoutSession, object, 'data.object.');
      if (session.payment_status !== 'paid') return ignore(`payment_status ${session.payment_status}`);
      if (session.amount_total === null || session.currency === null)
        throw new InvalidWebhookBodyError('data.object: a paid session needs amount_total and currency');
      const settlement = intentId(session.payment_intent);
      return withInvoice(session.metadata?.invoice_id ?? session.client_reference_id, {
        kind: 'payment',
        amount: session.amount_total,
        currency: session.currency.toUpperCase(),
        providerPaymentId: settlement ?? session.id,
        ...(settlement ? { settlementKey: `stripe:${settlement}` } : {}),
      });
    }
    case 'payment_intent.succeeded': {
      const intent = parse(paymentIntent, object, 'data.object.');
      return withInvoice(intent.metadata?.invoice_id, {
        kind: 'payment',
        amount: intent.amount_received,
        currency: intent.currency.toUpperCase(),
        providerPaymentId: intent.id,
        settlementKey: `stripe:${intent.id}`,
      });
    }
    case 'invoice.paid': {
      const invoice = parse(stripeInvoice, object, 'data.object.');
      const settlement = intentId(invoice.payment_intent);
      return withInvoice(invoice.metadata?.invoice_id, {
        kind: 'payment',
        amount: invoice.amount_paid,
        currency: invoice.currency.toUpperCase(),
        providerPaymentId: invoice.id,
        ...(settlement ? { settlementKey: `stripe:${settlement}` } : {}),
      });
    }
    case 'charge.refunded': {
      const refunded = parse(charge, object, 'data.object.');
      const previous = parse(chargePrevious, event.data.previous_attributes, 'data.previous_attributes.');
      const before = previous?.amount_refunded ?? 0;
      if (before > refunded.amount_refunded)
        throw new InvalidWebhookBodyError('data.previous_attributes.amount_refunded: above amount_refunded');
      return withInvoice(refunded.metadata?.invoice_id, {
        kind: 'refund',
        amount: refunded.amount_refunded - before,
        currency: refunded.currency.toUpperCase(),
        providerPaymentId: refunded.id,
      });
    }
    default:
      return ignore('event type not used by dunning');
  }
};
