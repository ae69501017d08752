import type { Invoice, Payment } from '../model.ts';
import type { Policy } from '../policy.ts';
import type { Clock } from '../ports.ts';
import type { InvoiceChange } from './apply.ts';
import type { InvoicePaymentEvent, PaymentEvent, WebhookOutcome } from './event.ts';

/** A payment as the ledger keeps it for the audit trail (`dunning show`), one per provider event. */
export interface PaymentRecord extends Payment {
  /** The provider's event type, e.g. `charge.refunded`. */
  readonly eventType: string;
  readonly providerPaymentId?: string;
  /** The money's ids as the event named them: how `show` finds the settlement it belongs to. */
  readonly refs: readonly string[];
  /** A Stripe refund's place in its charge's cumulative refunds. */
  readonly refunded?: { readonly from: number; readonly to: number };
  /** Recorded when the event brought nothing new: the same money was already on the invoice. */
  readonly duplicate?: boolean;
  readonly providerAmount?: number;
}

/** The invoice side of recording a payment; every write is one single-item write. */
export interface PaymentLedger {
  /** A consistent read of the invoice; undefined when unknown. */
  readInvoice(invoiceId: string): Promise<Invoice | undefined>;
  /** The zone of the invoice's customer, to put a reopened invoice back on its schedule in local days. */
  customerTimeZone(customerId: string): Promise<string>;
  /** Writes the record unless one with its id exists (first write wins, so a retry changes nothing). */
  putPaymentRecord(record: PaymentRecord): Promise<void>;
  /** The conditional update of the invoice item; `conflict` when it changed since it was read. */
  applyChange(invoiceId: string, change: InvoiceChange): Promise<'written' | 'conflict'>;
}

/**
 * Which invoice a money id belongs to (`REF#<ref>` items): how an event without an invoice reference
 * (a Charge's refund, a Stripe invoice payment) finds its invoice, and where a refund whose payment no
 * invoice knows yet waits for it.
 */
export interface PaymentReferences {
  /** The invoice of the first of these ids the store knows. */
  invoiceOf(refs: readonly string[]): Promise<string | undefined>;
  /**
   * Binds the ids to the invoice and hands back the refunds that were waiting on any of them (each
   * binding and its waiting refunds are one item, so a refund stored concurrently is never missed).
   */
  bind(refs: readonly string[], invoiceId: string): Promise<PaymentEvent[]>;
  /**
   * Keeps a refund (or a Stripe invoice's payment) that matches no invoice under the id its payment
   * will bind; `bound` when that id got an invoice in the meantime (the caller then applies it there).
   */
  wait(event: PaymentEvent, receivedAt: Date): Promise<{ readonly bound?: string }>;
  /** Drops the refunds `bind` handed over, once they are applied. */
  release(refs: readonly string[]): Promise<void>;
}

/** Events whose invoice is not (yet) in the store, kept for an operator and applied on import. */
export interface UnmatchedEventStore {
  /** `exists` when this event was stored before (a repeated delivery). */
  put(event: InvoicePaymentEvent, receivedAt: Date): Promise<'stored' | 'exists'>;
  list(invoiceId: string): Promise<InvoicePaymentEvent[]>;
  remove(invoiceId: string, eventId: string): Promise<void>;
}

export interface PaymentOutcomeLine {
  readonly eventId: string;
  readonly provider: PaymentEvent['provider'];
  readonly type: string;
  readonly outcome: WebhookOutcome;
  readonly invoiceId?: string;
  readonly reason?: string;
}

/** Where each event's outcome goes: one structured log line and one metric. */
export type PaymentObserver = (line: PaymentOutcomeLine) => void;

export interface PaymentDeps {
  readonly ledger: PaymentLedger;
  readonly references: PaymentReferences;
  readonly unmatched: UnmatchedEventStore;
  readonly policy: Policy;
  readonly now: Clock;
  /** The deployment's zone: where an invoice's schedule is decided until its customer's zone is needed. */
  readonly defaultTimeZone: string;
  readonly observe?: PaymentObserver;
}
