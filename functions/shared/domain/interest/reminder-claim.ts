import type { Customer, Invoice, Payment } from '../model.ts';
import type { Policy } from '../policy.ts';
import type { LatePaymentClaim } from './claim.ts';
import { claimForInvoice, customerCountry } from './for-invoice.ts';
import { lawFor } from './laws.ts';
import type { ReferenceRates } from './reference-rates.ts';

/**
 * Whether a reminder claims statutory interest and compensation: the policy switches it on per
 * jurisdiction (off by default) from a named stage on; the law must apply and something must be
 * left to claim. The figures are the same `dunning interest` shows.
 */

/** What the run and the preview need to compute a claim. */
export interface LatePaymentDeps {
  readonly rates: ReferenceRates;
  /** Applied payments and refunds of an invoice; read only for one that webhooks brought money to. */
  readonly payments: (invoice: Pick<Invoice, 'invoiceId' | 'appliedEventIds'>) => Promise<readonly Payment[]>;
}

/** The policy enables the customer's jurisdiction, and the stage is at or past the one it names. */
export const claimsAtStage = (policy: Policy, customer: Customer, stage: string): boolean => {
  const settings = policy.statutoryInterest;
  const law = lawFor(customerCountry(customer));
  if (!law || !settings.claimIn.includes(law.key)) return false;
  const from = policy.stages.findIndex((candidate) => candidate.name === settings.fromStage);
  const at = policy.stages.findIndex((candidate) => candidate.name === stage);
  return from >= 0 && at >= from;
};

/** The claim a reminder for `stage` states, or undefined when it states none. */
export const reminderClaim = async (
  deps: LatePaymentDeps | undefined,
  policy: Policy,
  invoice: Invoice,
  customer: Customer,
  stage: string,
  asOf: Date,
): Promise<LatePaymentClaim | undefined> => {
  if (!deps || !claimsAtStage(policy, customer, stage)) return undefined;
  const payments = invoice.amountReceived === 0 ? [] : await deps.payments(invoice);
  const claim = claimForInvoice({ invoice, customer, payments, asOf, rates: deps.rates });
  return claim.applicable && claim.interest + claim.compensation > 0 ? claim : undefined;
};

/** What a stage claim records of the claim its reminder states. */
export const claimedLatePayment = (claim: LatePaymentClaim) => ({
  interest: claim.interest,
  compensation: claim.compensation,
  law: claim.law ?? '',
  asOf: claim.asOf,
});
