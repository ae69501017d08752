import { backoffMs, sleep } from '../../backoff.ts';
import type { Invoice } from '../model.ts';
import { type Application, applyPaymentEvent, type DuePlacement, type InvoiceChange } from './apply.ts';
import type { InvoicePaymentEvent, PaymentEvent, WebhookOutcome } from './event.ts';
import type { PaymentDeps, PaymentRecord } from './ports.ts';
import { moneyRefs } from './settlements.ts';

/** Concurrent writers (a run claiming a stage, another payment) bump the version; retry a few times. */
const MAX_ATTEMPTS = 8;
/** A lost race on the invoice is retried after a jittered pause of a few milliseconds, growing. */
const CONFLICT_BACKOFF = { baseMs: 2, capMs: 40 };

export class PaymentContentionError extends Error {
  constructor(invoiceId: string) {
    super(`invoice ${invoiceId} kept changing while a payment was applied`);
    this.name = 'PaymentContentionError';
  }
}

/** Money ids a later event may arrive by alone: a refund names its PaymentIntent or Charge, an invoice payment its Stripe invoice. */
const LOOKUP_REF = /^stripe:(pi|ch|py|in)_/;

const recordOf = (event: InvoicePaymentEvent, application: Application): PaymentRecord => ({
  paymentId: event.eventId,
  provider: event.provider,
  invoiceId: event.invoiceId,
  amount: event.amount,
  currency: event.currency,
  occurredAt: event.occurredAt,
  kind: event.kind,
  applied: false,
  eventType: event.type,
  refs: moneyRefs(event),
  ...(event.refunded ? { refunded: event.refunded } : {}),
  ...(event.providerPaymentId ? { providerPaymentId: event.providerPaymentId } : {}),
  ...(event.providerAmount !== undefined ? { providerAmount: event.providerAmount } : {}),
  ...(application.outcome === 'flagged' ? { flag: application.flag } : {}),
  ...(application.outcome === 'duplicate' ? { duplicate: true } : {}),
});

/** The invoice as the change leaves it, so that the next event of the same write is decided on it. */
const after = (invoice: Invoice, change: InvoiceChange): Invoice => {
  const { nextActionAt: _previous, ...rest } = invoice;
  const nextActionAt =
    change.due.kind === 'set'
      ? change.due.at.toISOString()
      : change.due.kind === 'keep'
        ? invoice.nextActionAt
        : undefined;
  return {
    ...rest,
    settlements: change.settlements,
    receivedBase: change.receivedBase,
    amountReceived: change.amountReceived,
    status: change.status,
    flags: change.flags,
    appliedEventIds: change.recentEventIds,
    ...(nextActionAt ? { nextActionAt } : {}),
  };
};

interface Decision {
  readonly outcomes: readonly { readonly event: InvoicePaymentEvent; readonly application: Application }[];
  /** The one write for all of them, from the invoice as read; none when nothing changes. */
  readonly change?: InvoiceChange;
}

/** Decides the events in order on one invoice and merges their changes into one conditional write. */
const decide = (
  invoice: Invoice,
  events: readonly InvoicePaymentEvent[],
  zone: string,
  deps: PaymentDeps,
): Decision => {
  let current = invoice;
  let changed = false;
  const outcomes = events.map((event) => {
    const application = applyPaymentEvent(current, event, zone, deps.policy);
    if (application.change) {
      current = after(current, application.change);
      changed = true;
    }
    return { event, application };
  });
  if (!changed) return { outcomes };
  const due: DuePlacement =
    current.nextActionAt === undefined
      ? invoice.nextActionAt === undefined
        ? { kind: 'keep' }
        : { kind: 'remove' }
      : current.nextActionAt === invoice.nextActionAt
        ? { kind: 'keep' }
        : { kind: 'set', at: new Date(current.nextActionAt) };
  return {
    outcomes,
    change: {
      expectedVersion: invoice.version,
      eventId: events[0]?.eventId ?? '',
      recentEventIds: current.appliedEventIds,
      settlements: current.settlements ?? {},
      receivedBase: current.receivedBase ?? 0,
      amountReceived: current.amountReceived,
      status: current.status,
      flags: current.flags,
      due,
    },
  };
};

/**
 * Ids of the event's money the invoice did not know yet, among those a later event may look it up by:
 * its PaymentIntent (its Charge only when it has none; a refund names both) and its Stripe invoice.
 */
const newLookupRefs = (invoice: Invoice, event: PaymentEvent): string[] => {
  const known = new Set(Object.values(invoice.settlements ?? {}).flatMap((settlement) => settlement.refs));
  const lookup = moneyRefs(event).filter((ref) => LOOKUP_REF.test(ref));
  const hasIntent = lookup.some((ref) => ref.startsWith('stripe:pi_'));
  return lookup.filter((ref) => !known.has(ref) && !(hasIntent && /^stripe:(ch|py)_/.test(ref)));
};

/**
 * Binds the money ids the invoice did not know to it and takes what waited for them; what waited may
 * name further ids (a Stripe invoice's payment names its PaymentIntent, which a refund waits under).
 */
const bindMoney = async (invoice: Invoice, event: InvoicePaymentEvent, deps: PaymentDeps) => {
  const refs: string[] = [];
  const waiting: InvoicePaymentEvent[] = [];
  let frontier = newLookupRefs(invoice, event);
  while (frontier.length) {
    refs.push(...frontier);
    const handed = (await deps.references.bind(frontier, invoice.invoiceId))
      .filter(
        (other) => other.eventId !== event.eventId && !waiting.some((seen) => seen.eventId === other.eventId),
      )
      .map((other) => ({ ...other, invoiceId: invoice.invoiceId }));
    waiting.push(...handed);
    frontier = [...new Set(handed.flatMap((other) => newLookupRefs(invoice, other)))].filter(
      (ref) => !refs.includes(ref),
    );
  }
  return { refs, waiting };
};

/**
 * Records one verified event exactly once. Its invoice is the one it names, or the one the store
 * knows its money by; a refund of money no invoice knows waits under the money's id and is applied
 * with its payment (an invoice payment, under its Stripe invoice); another payment naming no invoice
 * is not dunning's (ignored).
 *
 * On its invoice, one record per event is written first (first write wins), then one conditional
 * update applies it, together with any refund that was waiting for this money (recordOnInvoice). The update is decided
 * from settlements that only grow, so a retry after a crash at any point, or a repeated delivery,
 * applies nothing twice.
 */
export const recordPaymentEvent = async (
  event: PaymentEvent,
  deps: PaymentDeps,
  options: { fromUnmatched?: boolean } = {},
): Promise<WebhookOutcome> => {
  const invoiceId =
    event.invoiceId ??
    (await deps.references.invoiceOf([...moneyRefs(event), ...(event.group ? [event.group] : [])]));
  if (invoiceId) return recordOnInvoice({ ...event, invoiceId }, deps, options);
  // A payment naming no invoice is another business's, unless it is one payment of a Stripe invoice
  // (basil's invoice_payment.paid may come before the invoice.paid it belongs to): that waits like a refund.
  if (event.kind === 'payment' && !event.group) return 'ignored';
  const { bound } = await deps.references.wait(event, deps.now());
  return bound ? recordOnInvoice({ ...event, invoiceId: bound }, deps, options) : 'unmatched';
};

/**
 * Three sequential store round trips for a payment on an invoice whose money is new: read the invoice;
 * then together write the event's record, bind its money ids and (only when the payment puts the
 * invoice back on its schedule) read the customer's zone; then the one conditional update. The
 * record's verdict depends on the invoice as read alone (a waiting refund is decided after the event,
 * the zone moves only the schedule), so it can go out before the rest is known, and it still lands
 * before the update that applies it. A refund that was waiting adds one round trip for its own record.
 * A redelivery the invoice already lists as applied takes the read alone.
 */
const recordOnInvoice = async (
  event: InvoicePaymentEvent,
  deps: PaymentDeps,
  options: { fromUnmatched?: boolean },
): Promise<WebhookOutcome> => {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
    const invoice = await deps.ledger.readInvoice(event.invoiceId);
    if (!invoice) {
      // From the unmatched sweep the event is stored already; the invoice went away again.
      if (options.fromUnmatched) return 'unmatched';
      return keepUnmatched(event, deps);
    }

    const alone = decide(invoice, [event], deps.defaultTimeZone, deps);
    const [first] = alone.outcomes;
    // A redelivery of an event the invoice lists: its record went in before the update that listed it.
    const recorded = invoice.appliedEventIds.includes(event.eventId);
    const zoneOf = () => deps.ledger.customerTimeZone(invoice.customerId);
    const [{ refs, waiting }, zone] = await Promise.all([
      bindMoney(invoice, event, deps),
      alone.change?.due.kind === 'set' ? zoneOf() : undefined,
      first && !recorded ? deps.ledger.putPaymentRecord(recordOf(first.event, first.application)) : undefined,
    ]);
    const events = [event, ...waiting];
    // Decided again only with more to decide: refunds that waited, or the customer's own zone.
    let decision =
      waiting.length === 0 && zone === undefined
        ? alone
        : decide(invoice, events, zone ?? deps.defaultTimeZone, deps);
    if (decision.change?.due.kind === 'set' && zone === undefined)
      decision = decide(invoice, events, await zoneOf(), deps);

    const handed = decision.outcomes.slice(1);
    if (handed.length)
      await Promise.all(
        handed.map(({ event: each, application }) =>
          deps.ledger.putPaymentRecord(recordOf(each, application)),
        ),
      );
    if (
      decision.change &&
      (await deps.ledger.applyChange(invoice.invoiceId, decision.change)) === 'conflict'
    ) {
      await sleep(backoffMs(attempt, CONFLICT_BACKOFF));
      continue;
    }
    if (waiting.length) await deps.references.release(refs);
    return decision.outcomes[0]?.application.outcome ?? 'duplicate';
  }
  throw new PaymentContentionError(event.invoiceId);
};

const keepUnmatched = async (event: InvoicePaymentEvent, deps: PaymentDeps): Promise<WebhookOutcome> => {
  const stored = await deps.unmatched.put(event, deps.now());
  // The invoice may have been imported between the read and the put, its import's sweep of unmatched
  // events finding nothing yet: look once more so this event is not left behind.
  if (await deps.ledger.readInvoice(event.invoiceId)) {
    const results = await applyUnmatchedPayments(event.invoiceId, deps);
    return results.find((result) => result.eventId === event.eventId)?.outcome ?? 'duplicate';
  }
  return stored === 'stored' ? 'unmatched' : 'duplicate';
};

export interface UnmatchedResult {
  readonly eventId: string;
  readonly outcome: WebhookOutcome;
}

/**
 * Applies every event kept as unmatched for an invoice that now exists (called after an import), each
 * exactly as if it had just arrived, and then drops it from the unmatched list. Safe to call again:
 * an event already applied is a duplicate.
 */
export const applyUnmatchedPayments = async (
  invoiceId: string,
  deps: PaymentDeps,
): Promise<UnmatchedResult[]> => {
  const results: UnmatchedResult[] = [];
  for (const event of await deps.unmatched.list(invoiceId)) {
    const outcome = await recordPaymentEvent(event, deps, { fromUnmatched: true });
    if (outcome === 'unmatched') continue;
    await deps.unmatched.remove(invoiceId, event.eventId);
    deps.observe?.({
      eventId: event.eventId,
      provider: event.provider,
      type: event.type,
      outcome,
      invoiceId,
      reason: 'unmatched event applied after import',
    });
    results.push({ eventId: event.eventId, outcome });
  }
  return results;
};
