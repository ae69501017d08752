import { type Invoice, type InvoiceStatus, outstanding } from '../model.ts';
import type { Policy } from '../policy.ts';
import { nextActionAt } from '../schedule.ts';
import {
  type FLAG_AMOUNT_INEXACT,
  FLAG_CURRENCY_MISMATCH,
  FLAG_TOO_MANY_PAYMENTS,
  type InvoicePaymentEvent,
} from './event.ts';
import {
  entryCount,
  grossPaid,
  MAX_SETTLEMENT_ENTRIES,
  netReceived,
  refundsKnown,
  type Settlements,
  settle,
  settlementsKey,
} from './settlements.ts';

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
  /** The latest event ids, newest last, at most RECENT_EVENT_IDS (a redelivery is answered duplicate). */
  readonly recentEventIds: readonly string[];
  readonly settlements: Settlements;
  /** What payments had brought before the settlements existed (items older than them); kept as is. */
  readonly receivedBase: number;
  readonly amountReceived: number;
  readonly status: InvoiceStatus;
  readonly flags: readonly string[];
  readonly due: DuePlacement;
}

/** Enough to answer a quick redelivery `duplicate`; dedupe itself never depends on this list. */
export const RECENT_EVENT_IDS = 100;

export type Application =
  /** Nothing new; `change` only when the event named more ids of money already counted (kept for lookups). */
  | { readonly outcome: 'duplicate'; readonly change?: InvoiceChange }
  | { readonly outcome: 'applied'; readonly change: InvoiceChange }
  | {
      readonly outcome: 'flagged';
      readonly flag:
        | typeof FLAG_CURRENCY_MISMATCH
        | typeof FLAG_AMOUNT_INEXACT
        | typeof FLAG_TOO_MANY_PAYMENTS;
      /** Absent when the invoice itself is left as it is (only the record carries the flag). */
      readonly change?: InvoiceChange;
    };

/** What payments brought an invoice before settlements were kept: the whole `amountReceived` then. */
export const receivedBaseOf = (invoice: Pick<Invoice, 'amountReceived' | 'settlements' | 'receivedBase'>) =>
  invoice.receivedBase ?? (invoice.settlements ? 0 : invoice.amountReceived);

const recent = (invoice: Invoice, eventId: string) => [
  ...invoice.appliedEventIds.slice(-(RECENT_EVENT_IDS - 1)),
  eventId,
];

/**
 * Decides what one event does to one invoice, from the invoice as read. Pure arithmetic over the
 * invoice's settlements (see settlements.ts):
 *
 * - The event is folded into the settlement of its money; `amountReceived` is what all settlements
 *   net. A refund of money not yet paid waits in its settlement and counts once the payment arrives;
 *   a refund never takes back more than its payment brought (the excess is shown, never applied).
 *   The same events in any order, any number of times, end in the same state; an event that changes
 *   no settlement is a duplicate.
 * - The status is `paid` exactly when nothing is outstanding; a refund of a paid invoice reopens it.
 *   What is received beyond the amount due is the invoice's credit (`creditOf`).
 * - A payment in another currency is never applied: the invoice gets the `currency_mismatch` flag and
 *   keeps its place in the due index, so the next run that reaches it records the skip under that
 *   reason (and only then takes it off the index) until an operator resolves it. An amount that could
 *   not be converted exactly (`amount_inexact`) is held the same way: never rounded into the ledger.
 */
export const applyPaymentEvent = (
  invoice: Invoice,
  event: InvoicePaymentEvent,
  customerTimeZone: string,
  policy: Policy,
): Application => {
  if (invoice.appliedEventIds.includes(event.eventId)) return { outcome: 'duplicate' };
  const before = invoice.settlements ?? {};
  const receivedBase = receivedBaseOf(invoice);
  const base = {
    expectedVersion: invoice.version,
    eventId: event.eventId,
    recentEventIds: recent(invoice, event.eventId),
    settlements: before,
    receivedBase,
  };

  const flag = event.currency !== invoice.currency ? FLAG_CURRENCY_MISMATCH : event.flag;
  if (flag) {
    const flags = invoice.flags.includes(flag) ? invoice.flags : [...invoice.flags, flag];
    return {
      outcome: 'flagged',
      flag,
      change: {
        ...base,
        amountReceived: invoice.amountReceived,
        status: invoice.status,
        flags,
        due: { kind: 'keep' },
      },
    };
  }

  const settlements = settle(before, event);
  if (settlementsKey(settlements) === settlementsKey(before)) return { outcome: 'duplicate' };
  if (entryCount(settlements) > MAX_SETTLEMENT_ENTRIES)
    return { outcome: 'flagged', flag: FLAG_TOO_MANY_PAYMENTS };
  const amountReceived = receivedBase + netReceived(settlements);
  // Money already counted is a duplicate: a payment that pays nothing more (Checkout after its
  // PaymentIntent, an invoice payment after its invoice), a refund already known. Its ids are kept.
  const moved =
    amountReceived !== invoice.amountReceived ||
    (event.kind === 'payment'
      ? grossPaid(settlements) !== grossPaid(before)
      : refundsKnown(settlements) !== refundsKnown(before));
  const owed = outstanding({ ...invoice, amountReceived });
  const status: InvoiceStatus = owed === 0 ? 'paid' : invoice.status === 'paid' ? 'open' : invoice.status;
  const next = nextActionAt({ ...invoice, amountReceived, status }, customerTimeZone, policy);
  const due: DuePlacement = !next
    ? { kind: 'remove' }
    : invoice.nextActionAt
      ? { kind: 'keep' }
      : { kind: 'set', at: next };
  return {
    outcome: moved ? 'applied' : 'duplicate',
    change: { ...base, settlements, amountReceived, status, flags: invoice.flags, due },
  };
};

/** Money received beyond what the invoice asks (amount due plus fees): a credit to refund or apply. */
export const creditOf = (
  invoice: Pick<Invoice, 'amountDue' | 'amountPaid' | 'amountReceived' | 'feesCharged'>,
): number =>
  Math.max(0, invoice.amountPaid + invoice.amountReceived - invoice.amountDue - invoice.feesCharged);
