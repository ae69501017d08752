import { mailVerdicts, sesMailEventSchema } from '../shared/domain/customer-care/mail-event.ts';
import type { CareOutcome, CustomerCare } from '../shared/domain/customer-care/ports.ts';

/** Log lines carry ids and outcomes only: never an address or a diagnostic (personal data). */
export interface MailEventLogger {
  info(message: string, attributes: Record<string, unknown>): void;
  warn(message: string, attributes: Record<string, unknown>): void;
}

export interface MailEventDeps {
  readonly care: Pick<CustomerCare, 'applyMailVerdict'>;
  readonly logger: MailEventLogger;
}

export type MailEventResult =
  | { readonly accepted: false; readonly reason: string }
  | {
      readonly accepted: true;
      readonly eventId: string;
      readonly recipients: readonly {
        readonly action: string;
        readonly customers: readonly { readonly customerId: string; readonly outcome: CareOutcome }[];
      }[];
    };

/**
 * One SES bounce or complaint event (EventBridge shape), the same code behind the mail-events Lambda
 * and the local `POST /mail-events`. An event that is not one is refused, not thrown: redelivering
 * it would not make it one. A store failure throws, so EventBridge's retries deliver it again;
 * applying it twice changes nothing.
 */
export const createMailEventReceiver =
  (deps: MailEventDeps) =>
  async (event: unknown): Promise<MailEventResult> => {
    const parsed = sesMailEventSchema.safeParse(event);
    if (!parsed.success) {
      const reason = parsed.error.issues
        .slice(0, 3)
        .map((issue) => `${issue.path.join('.') || '(event)'}: ${issue.message}`)
        .join('; ');
      deps.logger.warn('mail event refused', { reason });
      return { accepted: false, reason };
    }
    const recipients = [];
    for (const verdict of mailVerdicts(parsed.data)) {
      const { customers } = await deps.care.applyMailVerdict(verdict);
      deps.logger.info('mail event', {
        eventId: parsed.data.id,
        action: verdict.action,
        customers: customers.map((customer) => `${customer.customerId}:${customer.outcome}`),
      });
      recipients.push({ action: verdict.action, customers });
    }
    return { accepted: true, eventId: parsed.data.id, recipients };
  };

export type MailEventReceiver = ReturnType<typeof createMailEventReceiver>;
