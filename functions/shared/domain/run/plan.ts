import type { BusinessHours } from '../business-hours.ts';
import type { ClosedDays } from '../holidays.ts';
import type { Customer, Invoice } from '../model.ts';
import type { Stage } from '../policy.ts';
import { type AssessContext, assessInvoice, gapAllows, type InvoiceVerdict } from './assess.ts';
import { isWithinBusinessHours, nextOpening, type Opening } from './opening.ts';

/** An invoice a stage has come due for in this run. */
export interface Candidate {
  readonly invoice: Invoice;
  readonly stage: Stage;
}

/** What the run does with the customer as a whole, once every invoice has its verdict. */
export type CustomerAction =
  | { readonly kind: 'nothing' }
  /** A concurrent run as of the same instant holds this customer: it sends and reports these. */
  | { readonly kind: 'held_elsewhere' }
  | { readonly kind: 'min_gap'; readonly candidates: readonly Candidate[] }
  | { readonly kind: 'defer'; readonly candidates: readonly Candidate[]; readonly opening: Opening }
  | { readonly kind: 'send'; readonly candidates: readonly Candidate[] };

export interface CustomerPlan {
  readonly verdicts: readonly { readonly invoice: Invoice; readonly verdict: InvoiceVerdict }[];
  readonly action: CustomerAction;
}

export interface PlanContext extends AssessContext {
  readonly businessHours: BusinessHours;
  /** The run's "now" for business hours (asOf moved on by the time the run has taken). */
  readonly sendAt: Date;
  /** The public holidays of the customer's country: closed like a weekend. */
  readonly closed?: ClosedDays;
}

/**
 * Decides, without touching anything, what one customer gets in this run: each invoice's verdict,
 * then the customer-wide rules (a concurrent run, the minimum gap, business hours). The run renders
 * the plan before it claims anything, so a plan that cannot be rendered sends and claims nothing.
 */
export const planCustomer = (
  invoices: readonly Invoice[],
  customer: Customer,
  context: PlanContext,
): CustomerPlan => {
  const verdicts = invoices.map((invoice) => ({
    invoice,
    verdict: assessInvoice(invoice, customer, context),
  }));
  const candidates = verdicts.flatMap(({ invoice, verdict }) =>
    verdict.kind === 'due' ? [{ invoice, stage: verdict.stage }] : [],
  );
  return { verdicts, action: customerAction(candidates, customer, context) };
};

const customerAction = (
  candidates: readonly Candidate[],
  customer: Customer,
  context: PlanContext,
): CustomerAction => {
  if (candidates.length === 0) return { kind: 'nothing' };
  if (customer.lastReminderAt === context.asOf.toISOString()) return { kind: 'held_elsewhere' };
  if (!gapAllows(customer, context.asOf, context.policy.minimumGapDays))
    return { kind: 'min_gap', candidates };
  if (!isWithinBusinessHours(context.sendAt, customer.timeZone, context.businessHours, context.closed)) {
    const opening = nextOpening(context.sendAt, customer.timeZone, context.businessHours, context.closed);
    return { kind: 'defer', candidates, opening };
  }
  return { kind: 'send', candidates };
};
