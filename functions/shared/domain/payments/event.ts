import type { PaymentKind } from '../model.ts';

/**
 * One provider event, normalised: what the ledger needs to record and apply it, whichever provider
 * sent it. Built only from a body whose signature was verified.
 */
export interface PaymentEvent {
  /** The provider's event id (Stripe `event.id`, Standard Webhooks `webhook-id`): the idempotency key. */
  readonly eventId: string;
  readonly provider: 'stripe' | 'standard';
  /** The provider's event type, e.g. `invoice.paid`, `payment.refunded`. */
  readonly type: string;
  readonly invoiceId: string;
  readonly kind: PaymentKind;
  /** Positive, minor units; a refund's amount is what becomes owed again. */
  readonly amount: number;
  /** ISO 4217, upper case. */
  readonly currency: string;
  readonly occurredAt: string;
  /**
   * The underlying money movement (Stripe PaymentIntent), when known: Checkout and the PaymentIntent
   * both report one payment, and it must count once whichever event arrives first.
   */
  readonly settlementKey?: string;
  /** The provider's own payment reference, kept for the audit trail. */
  readonly providerPaymentId?: string;
  /** Set when the event is recorded for an operator and never applied (an amount Stripe's units cannot convert exactly). */
  readonly flag?: typeof FLAG_AMOUNT_INEXACT;
  /** The amount as the provider stated it, kept when it could not be converted exactly. */
  readonly providerAmount?: number;
}

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
export const FLAG_DUPLICATE_PAYMENT = 'duplicate_payment';
/** A Stripe amount with a remainder in the invoice currency's minor unit: recorded, never rounded. */
export const FLAG_AMOUNT_INEXACT = 'amount_inexact';
