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
 * Stripe events as docs/webhooks.md reads them, in the shapes of API versions 2024-06-20 through
 * NEWEST_STRIPE_API_VERSION. Only the fields used are checked; Stripe adds fields freely. Amounts are
 * integers in Stripe's units for the currency (stripe-units.ts), currencies lower case.
 */
const minor = z.number().check(z.int(), z.nonnegative());
const currency = z.string().check(z.regex(/^[a-zA-Z]{3}$/, 'expected an ISO 4217 code'));
const metadata = z.nullish(z.record(z.string(), z.string()));
// Ids end up in DynamoDB sort keys (1 KiB, 4 bytes a character at worst): Stripe's are ~30 characters.
const id = z.string().check(z.minLength(1), z.maxLength(200));
/** The bound the Standard Webhooks body puts on `invoiceId`; the invoice id is part of a key too. */
const MAX_INVOICE_REFERENCE = 200;
/** An id field Stripe sends as the id or, when expanded, as the object. */
const reference = z.nullish(z.union([id, z.object({ id })]));

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
  payment_intent: reference,
  invoice: reference,
  metadata,
});
const paymentIntent = z.object({
  id,
  amount_received: minor,
  currency,
  metadata,
  latest_charge: reference,
  /** Before 2025-03-31.basil only: the Stripe invoice the intent pays. */
  invoice: reference,
});
const stripeInvoice = z.object({
  id,
  amount_paid: minor,
  currency,
  metadata,
  /** Before 2025-03-31.basil only; later an invoice names its payments through `invoice_payment`. */
  payment_intent: reference,
  charge: reference,
});
const invoicePayment = z.object({
  id,
  invoice: reference,
  amount_paid: z.nullable(minor),
  currency,
  payment: z.object({ type: z.string(), payment_intent: reference, charge: reference }),
});
const charge = z.object({
  id,
  amount_refunded: minor,
  currency,
  metadata,
  payment_intent: reference,
  invoice: reference,
});
const chargePrevious = z.nullish(z.partial(z.object({ amount_refunded: minor })));

export type StripeEnvelope = z.infer<typeof envelope>;

const parse = <T>(schema: z.ZodMiniType<T>, value: unknown, prefix: string): T => {
  const result = schema.safeParse(value);
  if (!result.success) throw new InvalidWebhookBodyError(`${prefix}${shortReason(result.error)}`);
  return result.data;
};

const idOf = (value: string | { id: string } | null | undefined) =>
  typeof value === 'string' ? value : value?.id;

/** Stripe ids namespaced for the ledger, most specific first, without gaps or repeats. */
const refsOf = (...ids: (string | { id: string } | null | undefined)[]): string[] => [
  ...new Set(
    ids
      .map(idOf)
      .filter((value): value is string => Boolean(value))
      .map((value) => `stripe:${value}`),
  ),
];

/** Stripe's units to the ISO minor unit; an amount with a remainder is kept whole and flagged. */
const toIso = (stripeAmount: number, upper: string, field: string) => {
  const converted = fromStripeAmount(stripeAmount, upper);
  if (!converted.exact && converted.reason.startsWith('amount too large'))
    throw new InvalidWebhookBodyError(`data.object.${field}: too large for ${upper}`);
  return converted;
};

const money = (stripeAmount: number, stripeCurrency: string, field: string) => {
  const upper = stripeCurrency.toUpperCase();
  const converted = toIso(stripeAmount, upper, field);
  return {
    amount: converted.amount,
    currency: upper,
    ...(converted.exact
      ? {}
      : { flag: FLAG_AMOUNT_INEXACT as typeof FLAG_AMOUNT_INEXACT, providerAmount: stripeAmount }),
  };
};

type Body = Omit<PaymentEvent, 'eventId' | 'provider' | 'type' | 'occurredAt'>;

/** Each event type the ledger reads, from its object to the payment or refund it reports. */
const READERS: Record<string, (object: unknown, previous: unknown) => Body | string> = {
  'checkout.session.completed': (object) => {
    const session = parse(checkoutSession, object, 'data.object.');
    if (session.payment_status !== 'paid') return `payment_status ${session.payment_status}`;
    if (session.amount_total === null || session.currency === null)
      throw new InvalidWebhookBodyError('data.object: a paid session needs amount_total and currency');
    const intent = idOf(session.payment_intent);
    return {
      ...invoiceReference(session.metadata?.invoice_id ?? session.client_reference_id),
      kind: 'payment',
      ...money(session.amount_total, session.currency, 'amount_total'),
      refs: refsOf(session.payment_intent, session.invoice, session.id),
      providerPaymentId: intent ?? session.id,
    };
  },
  'payment_intent.succeeded': (object) => {
    const intent = parse(paymentIntent, object, 'data.object.');
    return {
      ...invoiceReference(intent.metadata?.invoice_id),
      kind: 'payment',
      ...money(intent.amount_received, intent.currency, 'amount_received'),
      refs: refsOf(intent.id, intent.latest_charge, intent.invoice),
      providerPaymentId: intent.id,
    };
  },
  'invoice.paid': (object) => {
    const invoice = parse(stripeInvoice, object, 'data.object.');
    return {
      ...invoiceReference(invoice.metadata?.invoice_id),
      kind: 'payment',
      ...money(invoice.amount_paid, invoice.currency, 'amount_paid'),
      refs: refsOf(invoice.payment_intent, invoice.charge, invoice.id),
      providerPaymentId: invoice.id,
    };
  },
  'invoice_payment.paid': (object) => {
    const payment = parse(invoicePayment, object, 'data.object.');
    if (payment.amount_paid === null) return 'invoice payment without amount_paid';
    const paidWith = payment.payment.payment_intent ?? payment.payment.charge;
    if (!idOf(payment.invoice) || !idOf(paidWith)) return 'invoice payment without its invoice and payment';
    return {
      kind: 'payment',
      ...money(payment.amount_paid, payment.currency, 'amount_paid'),
      refs: refsOf(paidWith, payment.id),
      group: `stripe:${idOf(payment.invoice)}`,
      providerPaymentId: idOf(paidWith) as string,
    };
  },
  'charge.refunded': (object, previousAttributes) => {
    const refunded = parse(charge, object, 'data.object.');
    const previous = parse(chargePrevious, previousAttributes, 'data.previous_attributes.');
    const before = previous?.amount_refunded ?? 0;
    if (before > refunded.amount_refunded)
      throw new InvalidWebhookBodyError('data.previous_attributes.amount_refunded: above amount_refunded');
    const upper = refunded.currency.toUpperCase();
    const from = toIso(before, upper, 'amount_refunded');
    const to = toIso(refunded.amount_refunded, upper, 'amount_refunded');
    const exact = from.exact && to.exact;
    return {
      ...invoiceReference(refunded.metadata?.invoice_id),
      kind: 'refund',
      amount: to.amount - from.amount,
      currency: upper,
      refs: refsOf(refunded.payment_intent, refunded.id, refunded.invoice),
      refunded: { from: from.amount, to: to.amount },
      providerPaymentId: refunded.id,
      ...(exact
        ? {}
        : {
            flag: FLAG_AMOUNT_INEXACT as typeof FLAG_AMOUNT_INEXACT,
            providerAmount: refunded.amount_refunded - before,
          }),
    };
  },
};

const invoiceReference = (invoiceId: string | null | undefined): { invoiceId?: string } => {
  if (!invoiceId) return {};
  if (invoiceId.length > MAX_INVOICE_REFERENCE)
    throw new InvalidWebhookBodyError(`invoice reference: over ${MAX_INVOICE_REFERENCE} characters`);
  return { invoiceId };
};

/**
 * Maps a verified Stripe event to a payment or refund. Event types docs/webhooks.md does not list,
 * unpaid Checkout sessions and zero amounts are ignored (2xx): Stripe sends every event of an account
 * to the endpoint, and most are none of dunning's business.
 *
 * The event names its invoice by `metadata.invoice_id` (or Checkout's `client_reference_id`) when it
 * can; otherwise the ledger finds it from the money's ids (`refs`), which is how a Charge of a
 * Checkout or Stripe Invoicing payment (no metadata: Stripe copies it to a Charge only from its
 * PaymentIntent) and a Stripe invoice's `invoice_payment` are matched.
 *
 * `charge.refunded` carries the charge's cumulative `amount_refunded`, and
 * `previous_attributes.amount_refunded` the value before this refund (absent on the first): the
 * ledger keeps the highest cumulative amount seen, so partial refunds arriving in any order, or twice,
 * add up to the charge's total.
 */
export const paymentFromStripeEvent = (body: unknown): MappedEvent => {
  const early = earlyIgnore(body);
  if (early) return early;
  const event = parse(envelope, body, '');
  const eventId = `stripe:${event.id}`;
  const ignore = (reason: string): MappedEvent => ({ ignored: true, eventId, type: event.type, reason });
  const read = READERS[event.type];
  if (!read) return ignore('event type not used by dunning');
  const mapped = read(event.data.object, event.data.previous_attributes);
  if (typeof mapped === 'string') return ignore(mapped);
  if (mapped.amount === 0 && !mapped.flag) return ignore('zero amount');
  return {
    ...mapped,
    eventId,
    provider: 'stripe',
    type: event.type,
    occurredAt: new Date(event.created * 1000).toISOString(),
  };
};

/** Thin (v2) event notifications and events of a newer API version are verified but not read. */
const earlyIgnore = (body: unknown): MappedEvent | undefined => {
  const head = preamble.safeParse(body);
  if (!head.success) return undefined;
  const record = body as Record<string, unknown>;
  const ignored = (reason: string): MappedEvent => ({
    ignored: true,
    eventId: `stripe:${typeof record.id === 'string' ? record.id.slice(0, 200) : '(no id)'}`,
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
