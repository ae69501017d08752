import type { WebhookOutcome } from '../shared/domain/payments/event.ts';
import type { PaymentObserver } from '../shared/domain/payments/ports.ts';

/** The slice of Powertools Logger the webhook code writes to; the same lines locally and in Lambda. */
export interface OutcomeLogger {
  info(message: string, attributes: Record<string, string>): void;
}

/**
 * One structured line per event (`webhook event`, with eventId, provider, type, outcome and the
 * invoice) and, in Lambda, one count per outcome. Nothing from the body beyond these ids.
 */
export const outcomeObserver =
  (logger: OutcomeLogger, count?: (outcome: WebhookOutcome) => void): PaymentObserver =>
  (line) => {
    logger.info('webhook event', {
      eventId: line.eventId,
      provider: line.provider,
      type: line.type,
      outcome: line.outcome,
      ...(line.invoiceId ? { invoiceId: line.invoiceId } : {}),
      ...(line.reason ? { reason: line.reason } : {}),
    });
    count?.(line.outcome);
  };
