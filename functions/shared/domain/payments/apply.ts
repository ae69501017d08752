import { type Invoice, type InvoiceStatus, outstanding } from '../model.ts';
import type { Policy } from '../policy.ts';
import { nextActionAt } from '../schedule.ts';
import {
  type FLAG_AMOUNT_INEXACT,
  FLAG_CURRENCY_MISMATCH,
  FLAG_DUPLICATE_PAYMENT,
  type PaymentEvent,
} from './event.ts';

/** Where the invoice sits in the due index after the change. */
export type DuePlacement =
  /** Unchanged: still owed and already scheduled (the run may have set a deferral instant). */
  | { readonly kind: 'keep' }
  /** Leaves the due index: paid, flagged or past its last stage. */
  | { readonly kind: 'remove' }
  /** Back on its schedule, e.g. after a refund of a paid invoice. */
  | { readonly kind: 'set'; readonly at: Date };

/** The one conditional write that applies (or flags) an event on its invoice. */
export interface InvoiceChange {
  /** The version read; the write succeeds only if nobody wrote the invoice since. */
  readonly expectedVersion: number;
  readonly eventId: string;
  /** Appended to `appliedEventIds`: the event id and, when known, its settlement key. */
  readonly appliedIds: readonly string[];
  readonly amountReceived: number;
  readonly status: InvoiceStatus;
  readonly flags: readonly string[];
  readonly due: DuePlacement;
}

export type Application =
  | { readonly outcome: 'duplicate'; readonly flag?: typeof FLAG_DUPLICATE_PAYMENT }
  | { readonly outcome: 'applied'; readonly change: InvoiceChange }
  | {
      readonly outcome: 'flagged';
      readonly flag: typeof FLAG_CURRENCY_MISMATCH | typeof FLAG_AMOUNT_INEXACT;
      readonly change: InvoiceChange;
    };

/**
 * Decides what one event does to one invoice, from the invoice as read. Pure arithmetic:
 *
 * - `amountReceived` moves by +amount for a payment and -amount for a refund. It may dip below zero
 *   when a refund arrives before its payment; the sum is the same in any order, so the invoice
 *   converges once every event has arrived. `outstanding()` never shows less than zero.
 * - The status is `paid` exactly when nothing is outstanding; a refund of a paid invoice reopens it.
 * - A payment in another currency is never applied: the invoice gets the `currency_mismatch` flag and
 *   keeps its place in the due index, so the next run that reaches it records the skip under that
 *   reason (and only then takes it off the index) until an operator resolves it. An amount that could
 *   not be converted exactly (`amount_inexact`) is held the same way: never rounded into the ledger.
 * - An event whose id (or whose underlying payment) was applied already changes nothing.
 */
export const applyPaymentEvent = (
  invoice: Invoice,
  event: PaymentEvent,
  customerTimeZone: string,
  policy: Policy,
): Application => {
  if (invoice.appliedEventIds.includes(event.eventId)) return { outcome: 'duplicate' };
  if (event.settlementKey && invoice.appliedEventIds.includes(event.settlementKey))
    return { outcome: 'duplicate', flag: FLAG_DUPLICATE_PAYMENT };

  const base = { expectedVersion: invoice.version, eventId: event.eventId };
  const flag = event.currency !== invoice.currency ? FLAG_CURRENCY_MISMATCH : event.flag;
  if (flag) {
    const flags = invoice.flags.includes(flag) ? invoice.flags : [...invoice.flags, flag];
    return {
      outcome: 'flagged',
      flag,
      change: {
        ...base,
        appliedIds: [event.eventId],
        amountReceived: invoice.amountReceived,
        status: invoice.status,
        flags,
        due: { kind: 'keep' },
      },
    };
  }

  const amountReceived = invoice.amountReceived + (event.kind === 'payment' ? event.amount : -event.amount);
  const owed = outstanding({ ...invoice, amountReceived });
  const status: InvoiceStatus = owed === 0 ? 'paid' : invoice.status === 'paid' ? 'open' : invoice.status;
  const next = nextActionAt({ ...invoice, amountReceived, status }, customerTimeZone, policy);
  const due: DuePlacement = !next
    ? { kind: 'remove' }
    : invoice.nextActionAt
      ? { kind: 'keep' }
      : { kind: 'set', at: next };
  return {
    outcome: 'applied',
    change: {
      ...base,
      appliedIds: event.settlementKey ? [event.eventId, event.settlementKey] : [event.eventId],
      amountReceived,
      status,
      flags: invoice.flags,
      due,
    },
  };
};
