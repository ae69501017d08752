import type { PaymentEvent } from './event.ts';

/**
 * One underlying movement of money on an invoice, whichever events announced it: the ledger's unit.
 * Every field only grows (ids are added, amounts are maxima, refunds are keyed by their event), so
 * folding the same events in any order, any number of times, gives the same settlement.
 */
export interface Settlement {
  /** Every id known for this money, provider-namespaced (`stripe:pi_...`, `stripe:ch_...`, `standard:P`). */
  readonly refs: readonly string[];
  /** What was paid, ISO minor units; 0 while only a refund of it is known (the refund waits). */
  readonly paid: number;
  /** Stripe: the charge's cumulative refunded amount, the highest seen (events repeat and cross). */
  readonly refundedTo?: number;
  /** Standard Webhooks refunds, by event id: each adds its amount once. */
  readonly refunds?: Readonly<Record<string, number>>;
  /** The Stripe invoice this money is one payment of (basil invoice payments). */
  readonly group?: string;
}

/** The invoice's settlements, keyed by the first ref each was known by. */
export type Settlements = Readonly<Record<string, Settlement>>;

/**
 * How many settlements and Standard Webhooks refunds one invoice item holds (about 200 bytes each, so
 * the item stays far below DynamoDB's 400 KB). Repeated events of the same money add nothing; only
 * separate payments count. Beyond this an event is recorded and flagged for an operator.
 */
export const MAX_SETTLEMENT_ENTRIES = 200;

export const refundTotal = (settlement: Settlement): number =>
  (settlement.refundedTo ?? 0) +
  Object.values(settlement.refunds ?? {}).reduce((sum, amount) => sum + amount, 0);

/** The refund that reduces what was received: never more than was paid, nothing while the payment is unknown. */
export const appliedRefund = (settlement: Settlement): number =>
  Math.min(refundTotal(settlement), settlement.paid);
const NO_REFUND = () => 0;

/** The part of the refunds beyond the payment they refund (flagged, never applied). */
export const refundExcess = (settlement: Settlement): number =>
  settlement.paid > 0 ? Math.max(0, refundTotal(settlement) - settlement.paid) : 0;

export const entryCount = (settlements: Settlements): number =>
  Object.values(settlements).reduce((count, s) => count + 1 + Object.keys(s.refunds ?? {}).length, 0);

const intersects = (a: readonly string[], b: readonly string[]) => a.some((ref) => b.includes(ref));

/** The event's money ids; an event stored before they existed (a kept unmatched one) goes by its payment id. */
export const moneyRefs = (
  event: Pick<PaymentEvent, 'refs' | 'provider' | 'providerPaymentId' | 'eventId'>,
) => (event.refs?.length ? event.refs : [`${event.provider}:${event.providerPaymentId ?? event.eventId}`]);

/** The settlement that holds this ref, if any. */
export const settlementOf = (
  settlements: Settlements,
  refs: readonly string[],
): [string, Settlement] | undefined =>
  Object.entries(settlements).find(([, settlement]) => intersects(settlement.refs, refs));

/**
 * Folds one event into the settlements. Every settlement sharing an id with the event is the same
 * money: they merge into one (ids joined, amounts their maxima), which is how a Checkout session, its
 * PaymentIntent, its Charge and the Stripe invoice it paid count once, whichever arrives first.
 */
export const settle = (settlements: Settlements, event: PaymentEvent): Settlements => {
  const eventRefs = moneyRefs(event);
  const matching = Object.entries(settlements).filter(([, settlement]) =>
    intersects(settlement.refs, eventRefs),
  );
  const key = matching[0]?.[0] ?? (eventRefs[0] as string);
  const known = matching.map(([, settlement]) => settlement);
  const refs = [...new Set([...known.flatMap((s) => s.refs), ...eventRefs])];
  const max = (values: readonly number[]) => values.reduce((top, value) => Math.max(top, value), 0);
  const paid = max([...known.map((s) => s.paid), event.kind === 'payment' ? event.amount : 0]);
  const refundedTo = max([...known.map((s) => s.refundedTo ?? 0), event.refunded?.to ?? 0]);
  const refunds = Object.assign(
    {},
    ...known.map((s) => s.refunds ?? {}),
    event.kind === 'refund' && !event.refunded ? { [event.eventId]: event.amount } : {},
  ) as Record<string, number>;
  const group = [event.group, ...known.map((s) => s.group)].find(
    (id) => id !== undefined && !refs.includes(id),
  );
  const merged: Settlement = {
    refs,
    paid,
    ...(refundedTo > 0 ? { refundedTo } : {}),
    ...(Object.keys(refunds).length ? { refunds } : {}),
    ...(group ? { group } : {}),
  };
  const rest = Object.fromEntries(
    Object.entries(settlements).filter(([entry]) => !matching.some(([matched]) => matched === entry)),
  );
  return { ...rest, [key]: merged };
};

/** What the settlements' payments brought, before refunds (a Stripe invoice's payments counted with it). */
export const grossPaid = (settlements: Settlements): number => netReceived(settlements, { refunds: false });

/** Every refund the settlements know, applied or waiting. */
export const refundsKnown = (settlements: Settlements): number =>
  Object.values(settlements).reduce((sum, settlement) => sum + refundTotal(settlement), 0);

/** Stable text of the settlements: two states are the same exactly when these are equal. */
export const settlementsKey = (settlements: Settlements): string =>
  JSON.stringify(
    Object.keys(settlements)
      .sort()
      .map((key) => {
        const s = settlements[key] as Settlement;
        const refunds = Object.entries(s.refunds ?? {}).sort();
        return [key, [...s.refs].sort(), s.paid, s.refundedTo ?? 0, refunds, s.group ?? ''];
      }),
  );

/**
 * What the settlements brought the invoice, net of refunds. A Stripe invoice paid in several invoice
 * payments counts the larger of its own `amount_paid` and the sum of its payments, so the invoice's
 * event and its payments' events never add up to more than the money; refunds of a payment never
 * take back more than it paid.
 */
export const netReceived = (settlements: Settlements, options: { refunds?: boolean } = {}): number => {
  const entries = Object.values(settlements);
  const [bounded, total] = options.refunds === false ? [NO_REFUND, NO_REFUND] : [appliedRefund, refundTotal];
  const groupOf = (settlement: Settlement) =>
    settlement.group === undefined
      ? undefined
      : entries.find((other) => other !== settlement && other.refs.includes(settlement.group as string));
  let sum = 0;
  for (const settlement of entries) {
    if (groupOf(settlement)) continue; // counted with its group
    const children = entries.filter((other) => groupOf(other) === settlement);
    if (children.length === 0) {
      sum += settlement.paid - bounded(settlement);
      continue;
    }
    const paid = Math.max(
      settlement.paid,
      children.reduce((sum, child) => sum + child.paid, 0),
    );
    const refunds = children.reduce((all, child) => all + bounded(child), total(settlement));
    sum += paid - Math.min(refunds, paid);
  }
  return sum;
};
