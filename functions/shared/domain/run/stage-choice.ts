import type { Invoice } from '../model.ts';
import type { Policy, Stage } from '../policy.ts';
import { stageDate } from '../schedule.ts';

/**
 * The stage an invoice is due for on `today` (an ISO date in the customer's zone): the HIGHEST stage
 * whose date has been reached, provided no claim exists for it or any later stage. An invoice that
 * enters dunning late therefore gets one reminder at the stage its age has reached, never a burst of
 * the earlier ones; the stages it jumped over stay unclaimed for good.
 */
export const dueStage = (
  invoice: Pick<Invoice, 'dueDate' | 'claims'>,
  policy: Policy,
  today: string,
): Stage | undefined => {
  const reached = policy.stages.findLastIndex((stage) => stageDate(invoice, stage) <= today);
  if (reached < 0) return undefined;
  const lastClaimed = policy.stages.findLastIndex((stage) => invoice.claims[stage.name] !== undefined);
  return reached > lastClaimed ? policy.stages[reached] : undefined;
};

/** The stage after `stage` in the policy, whose date is the invoice's next action once `stage` is done. */
export const stageAfter = (policy: Policy, stageName: string): Stage | undefined => {
  const index = policy.stages.findIndex((stage) => stage.name === stageName);
  return index < 0 ? undefined : policy.stages[index + 1];
};
