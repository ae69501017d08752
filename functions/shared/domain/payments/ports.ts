import type { Invoice, Payment } from '../model.ts';
import type { Policy } from '../policy.ts';
import type { Clock } from '../ports.ts';
import type { InvoiceChange } from './apply.ts';
import type { PaymentEvent, WebhookOutcome } from './event.ts';

/** A payment as the ledger keeps it for the audit trail (`dunning show`). */
export interface PaymentRecord extends Payment {
  /** The provider's event type, e.g. `charge.refunded`. */
  readonly eventType: string;
  readonly providerPaymentId?: string;
}

export interface InvoiceForPayment {
  readonly invoice: Invoice;
  /** The customer's zone, to put a reopened invoice back on its schedule in local days. */
  readonly customerTimeZone: string;
}

/** The invoice side of recording a payment; every write is one single-item write. */
export interface PaymentLedger {
  /** A consistent read of the invoice (and its customer's zone); undefined when unknown. */
  readInvoice(invoiceId: string): Promise<InvoiceForPayment | undefined>;
  /** Writes the record unless one with its id exists (first write wins, so a retry changes nothing). */
  putPaymentRecord(record: PaymentRecord): Promise<void>;
  /** Sets `applied` on a record once its event is on the invoice; no-op on a flagged or absent record. */
  markPaymentApplied(invoiceId: string, paymentId: string): Promise<void>;
  /** The conditional update of the invoice item; `conflict` when it changed since it was read. */
  applyChange(invoiceId: string, change: InvoiceChange): Promise<'written' | 'conflict'>;
}

/** Events whose invoice is not (yet) in the store, kept for an operator and applied on import. */
export interface UnmatchedEventStore {
  /** `exists` when this event was stored before (a repeated delivery). */
  put(event: PaymentEvent, receivedAt: Date): Promise<'stored' | 'exists'>;
  list(invoiceId: string): Promise<PaymentEvent[]>;
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
  readonly unmatched: UnmatchedEventStore;
  readonly policy: Policy;
  readonly now: Clock;
  readonly observe?: PaymentObserver;
}
