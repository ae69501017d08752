import { backoffMs, sleep } from '../../backoff.ts';
import { applyPaymentEvent } from './apply.ts';
import type { PaymentEvent, WebhookOutcome } from './event.ts';
import type { PaymentDeps, PaymentRecord } from './ports.ts';

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

const recordOf = (event: PaymentEvent, flag?: string): PaymentRecord => ({
  paymentId: event.eventId,
  provider: event.provider,
  invoiceId: event.invoiceId,
  amount: event.amount,
  currency: event.currency,
  occurredAt: event.occurredAt,
  kind: event.kind,
  applied: false,
  eventType: event.type,
  ...(event.providerPaymentId ? { providerPaymentId: event.providerPaymentId } : {}),
  ...(flag ? { flag } : {}),
});

/**
 * Records one verified event exactly once. The payment record is written first (first write wins,
 * `applied: false`), then the invoice takes the event in one conditional update keyed by the event
 * id, then the record is marked applied. A crash after the first write leaves a record that no
 * invoice counts (shown as not applied); the provider's retry finds the event id absent from the
 * invoice and completes both. A crash after the second leaves the invoice right; the retry sees a
 * duplicate and completes the record.
 */
export const recordPaymentEvent = async (
  event: PaymentEvent,
  deps: PaymentDeps,
  options: { fromUnmatched?: boolean } = {},
): Promise<WebhookOutcome> => {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
    const read = await deps.ledger.readInvoice(event.invoiceId);
    if (!read) {
      // From the unmatched sweep the event is stored already; the invoice went away again.
      if (options.fromUnmatched) return 'unmatched';
      return keepUnmatched(event, deps);
    }

    const decision = applyPaymentEvent(read.invoice, event, read.customerTimeZone, deps.policy);
    if (decision.outcome === 'duplicate') {
      if (decision.flag) await deps.ledger.putPaymentRecord(recordOf(event, decision.flag));
      else await deps.ledger.markPaymentApplied(event.invoiceId, event.eventId);
      return 'duplicate';
    }

    await deps.ledger.putPaymentRecord(
      recordOf(event, decision.outcome === 'flagged' ? decision.flag : undefined),
    );
    if ((await deps.ledger.applyChange(event.invoiceId, decision.change)) === 'conflict') {
      await sleep(backoffMs(attempt, CONFLICT_BACKOFF));
      continue;
    }
    if (decision.outcome === 'applied') await deps.ledger.markPaymentApplied(event.invoiceId, event.eventId);
    return decision.outcome;
  }
  throw new PaymentContentionError(event.invoiceId);
};

const keepUnmatched = async (event: PaymentEvent, deps: PaymentDeps): Promise<WebhookOutcome> => {
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
