import { UserInputError } from '../../errors.ts';
import type { LatePaymentClaim } from '../interest/claim.ts';
import { type Customer, type Invoice, outstanding } from '../model.ts';
import type { Policy, Stage } from '../policy.ts';
import { reachedStage, reminderLine } from './line.ts';
import { type NothingDue, nothingDue } from './nothing-due.ts';
import { renderReminder } from './render.ts';
import type { RenderedReminder, TemplateSource } from './types.ts';

export interface PreviewRequest {
  readonly invoice: Invoice;
  readonly customer: Customer;
  readonly policy: Policy;
  readonly now: Date;
  /** Renders this stage instead of the one the invoice's age has reached. */
  readonly stageName?: string;
  readonly paymentUrlTemplate: string;
  readonly unsubscribeUrl: string;
  /** The statutory claim the run would state for this invoice at this stage, where the policy claims it. */
  readonly latePayment?: LatePaymentClaim;
}

export type Preview =
  | { readonly kind: 'reminder'; readonly stage: Stage; readonly reminder: RenderedReminder }
  /** The invoice would get nothing today, and why (said instead of a reminder that would not go out). */
  | ({ readonly kind: 'nothing' } & NothingDue);

const namedStage = (policy: Policy, name: string): Stage => {
  const stage = policy.stages.find((candidate) => candidate.name === name);
  if (stage) return stage;
  const known = policy.stages.map((candidate) => candidate.name).join(', ');
  throw new UserInputError(`Unknown stage "${name}"; the policy's stages are: ${known}.`);
};

/**
 * The email one invoice would get on its own, built the way the run builds it (same line, same fee,
 * same renderer), without claiming or sending anything. An invoice the run would leave alone today
 * gets the reason instead; a named stage is rendered whatever the day, unless nothing is owed.
 */
export const previewReminder = (request: PreviewRequest, templates: TemplateSource): Preview => {
  const { invoice, customer, policy, now } = request;
  const nothing = nothingDue(invoice, customer, policy, now);
  if (nothing && (request.stageName === undefined || outstanding(invoice) === 0))
    return { kind: 'nothing', ...nothing };
  const stage =
    request.stageName === undefined
      ? reachedStage(invoice, customer.timeZone, policy, now)
      : namedStage(policy, request.stageName);
  const line = reminderLine({
    invoice,
    customer,
    stage,
    now,
    paymentUrlTemplate: request.paymentUrlTemplate,
    ...(request.latePayment ? { latePayment: request.latePayment } : {}),
  });
  const reminder = renderReminder(
    { customer, lines: [line], policy, now, unsubscribeUrl: request.unsubscribeUrl },
    templates,
  );
  return { kind: 'reminder', stage, reminder };
};
