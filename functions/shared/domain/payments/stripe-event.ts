import * as z from '../../validation.ts';
import { shortReason } from './body-reason.ts';
import {
  FLAG_AMOUNT_INEXACT,
  InvalidWebhookBodyError,
  type MappedEvent,
  type PaymentEvent,
} from './event.ts';
import { fromStripeAmount } from './stripe-units.ts';

/**
 * The newest Stripe API version whose shapes this receiver reads: the version the installed `stripe`
 * package pins (a unit test keeps the two equal). An endpoint set to a newer version may send shapes
 * this code has never seen; its events are answered "ignored" and logged rather than misread.
 */
export const NEWEST_STRIPE_API_VERSION = '2026-10-28.endive';

/**
 * Stripe events as docs/webhooks.md reads them. Only the fields used are checked; Stripe
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

const versionDate = (version: string) => version.slice(0, 10);

/** What is read before the envelope: thin (v2) notifications and the API version decide whether to go on. */
const preamble = z.object({ object: z.optional(z.unknown()), api_version: z.nullish(z.unknown()) });

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
 * Maps a verified Stripe event to a payment or refund of one invoice. Event types docs/webhooks.md does
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
  const early = earlyIgnore(body);
  if (early) return early;
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
    if (rest.amount === 0 && !rest.flag) return ignore('zero amount');
    return { ...base, invoiceId, ...rest };
  };

  /** Stripe's units to the ISO minor unit; an amount with a remainder is kept whole and flagged. */
  const money = (stripeAmount: number, stripeCurrency: string, field: string) => {
    const upper = stripeCurrency.toUpperCase();
    const converted = fromStripeAmount(stripeAmount, upper);
    if (!converted.exact && converted.reason.startsWith('amount too large'))
      throw new InvalidWebhookBodyError(`data.object.${field}: too large for ${upper}`);
    return {
      amount: converted.amount,
      currency: upper,
      ...(converted.exact
        ? {}
        : { flag: FLAG_AMOUNT_INEXACT as typeof FLAG_AMOUNT_INEXACT, providerAmount: stripeAmount }),
    };
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
        ...money(session.amount_total, session.currency, 'amount_total'),
        providerPaymentId: settlement ?? session.id,
        ...(settlement ? { settlementKey: `stripe:${settlement}` } : {}),
      });
    }
    case 'payment_intent.succeeded': {
      const intent = parse(paymentIntent, object, 'data.object.');
      return withInvoice(intent.metadata?.invoice_id, {
        kind: 'payment',
        ...money(intent.amount_received, intent.currency, 'amount_received'),
        providerPaymentId: intent.id,
        settlementKey: `stripe:${intent.id}`,
      });
    }
    case 'invoice.paid': {
      const invoice = parse(stripeInvoice, object, 'data.object.');
      const settlement = intentId(invoice.payment_intent);
      return withInvoice(invoice.metadata?.invoice_id, {
        kind: 'payment',
        ...money(invoice.amount_paid, invoice.currency, 'amount_paid'),
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
        ...money(refunded.amount_refunded - before, refunded.currency, 'amount_refunded'),
        providerPaymentId: refunded.id,
      });
    }
    default:
      return ignore('event type not used by dunning');
  }
};

/** Thin (v2) event notifications and events of a newer API version are verified but not read. */
const earlyIgnore = (body: unknown): MappedEvent | undefined => {
  const head = preamble.safeParse(body);
  if (!head.success) return undefined;
  const record = body as Record<string, unknown>;
  const ignored = (reason: string): MappedEvent => ({
    ignored: true,
    eventId: typeof record.id === 'string' ? record.id.slice(0, 200) : '(no id)',
    type: typeof record.type === 'string' ? record.type.slice(0, 200) : '(no type)',
    reason,
  });
  if (typeof head.data.object === 'string' && head.data.object.startsWith('v2.'))
    return ignored('thin event notification');
  const version = head.data.api_version;
  if (typeof version === 'string' && versionDate(version) > versionDate(NEWEST_STRIPE_API_VERSION))
    return ignored(`API version ${version.slice(0, 40)} is newer than ${NEWEST_STRIPE_API_VERSION}`);
  return undefined;
};
