import type { PaymentKind } from '../model.ts';

/**
 * One provider event, normalised: what the ledger needs to record and apply it, whichever provider
 * sent it. Built only from a body whose signature was verified.
 */
export interface PaymentEvent {
  /** The provider's event id namespaced by provider (`stripe:evt_...`, `standard:msg_...`): the record's key. */
  readonly eventId: string;
  readonly provider: 'stripe' | 'standard';
  /** The provider's event type, e.g. `invoice.paid`, `payment.refunded`. */
  readonly type: string;
  /**
   * The invoice the event names (`metadata.invoice_id`, `client_reference_id`, the Standard body's
   * `invoiceId`); absent when only the store can tell, from a payment it already knows (`refs`).
   */
  readonly invoiceId?: string;
  readonly kind: PaymentKind;
  /** Positive, ISO minor units of `currency`; a refund's amount is what becomes owed again. */
  readonly amount: number;
  /** ISO 4217, upper case. */
  readonly currency: string;
  readonly occurredAt: string;
  /**
   * The underlying money, by every id this event knows for it, provider-namespaced and the most
   * specific first: PaymentIntent, Charge, Checkout session, Stripe invoice, invoice payment, or the
   * Standard Webhooks `paymentId`. Payments and refunds of the same money share one.
   */
  readonly refs: readonly string[];
  /** The Stripe invoice this money paid, when the event says so but is itself one of its payments. */
  readonly group?: string;
  /** A Stripe refund as the charge's cumulative refunded amount, before and after this event. */
  readonly refunded?: { readonly from: number; readonly to: number };
  /** The provider's own payment reference, kept for the audit trail. */
  readonly providerPaymentId?: string;
  /** Set when the event is recorded for an operator and never applied (an amount Stripe's units cannot convert exactly). */
  readonly flag?: typeof FLAG_AMOUNT_INEXACT;
  /** The amount as the provider stated it, kept when it could not be converted exactly. */
  readonly providerAmount?: number;
}

/** An event whose invoice is known: the one the ledger records. */
export type InvoicePaymentEvent = PaymentEvent & { readonly invoiceId: string };

/** What became of one delivery; also the log line's `outcome` and the metric's name. */
export type WebhookOutcome = 'applied' | 'duplicate' | 'unmatched' | 'flagged' | 'ignored';

/** A verified body that maps to nothing the ledger records (another event type, no invoice reference). */
export interface IgnoredEvent {
  readonly ignored: true;
  readonly eventId: string;
  readonly type: string;
  readonly reason: string;
}

export type MappedEvent = PaymentEvent | IgnoredEvent;

export const isIgnored = (event: MappedEvent): event is IgnoredEvent => 'ignored' in event;

/** A signed body that does not have the shape its provider promises; the endpoint answers 400. */
export class InvalidWebhookBodyError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'InvalidWebhookBodyError';
  }
}

export const FLAG_CURRENCY_MISMATCH = 'currency_mismatch';
/** A Stripe amount with a remainder in the invoice currency's minor unit: recorded, never rounded. */
export const FLAG_AMOUNT_INEXACT = 'amount_inexact';
/** An invoice already holds as many separate payments as its item is allowed: recorded for an operator. */
export const FLAG_TOO_MANY_PAYMENTS = 'too_many_payments';
/** The part of a refund beyond the payment it refunds: recorded for an operator, never applied. */
export const FLAG_REFUND_EXCEEDS_PAYMENT = 'refund_exceeds_payment';
