import { UserInputError } from '../errors.ts';
import {
  type Charge,
  feeChargeKey,
  type Invoice,
  outstanding,
  type StageClaim,
  type Waiver,
} from './model.ts';

/**
 * The invoice's ledger of what it charges beyond its own amount: each stage's late fee, statutory
 * interest and compensation. Entries are added or waived, never folded into `amountDue`; a waived
 * entry stays (with who and why) so that nothing claims it again.
 */

export type WaiveTarget =
  | { readonly kind: 'fee'; readonly stage: string }
  | { readonly kind: 'interest' }
  | { readonly kind: 'compensation' };

export const chargeKey = (target: WaiveTarget): string =>
  target.kind === 'fee' ? feeChargeKey(target.stage) : target.kind;

/**
 * Every entry, with the fees of stages claimed before the ledger existed (their claim holds the fee)
 * read as entries too, so old invoices waive and show the same way.
 */
export const ledgerOf = (invoice: Pick<Invoice, 'charges' | 'claims'>): Record<string, Charge> => {
  const entries: Record<string, Charge> = {};
  for (const claim of Object.values(invoice.claims)) {
    if (claim.fee) {
      entries[feeChargeKey(claim.stage)] = {
        kind: 'fee',
        amount: claim.fee,
        stage: claim.stage,
        chargedAt: claim.claimedAt,
      };
    }
  }
  return { ...entries, ...invoice.charges };
};

/** The fee entry a stage's claim adds (none for a stage without a fee). */
export const withStageFee = (
  invoice: Pick<Invoice, 'charges' | 'claims'>,
  stage: string,
  fee: number,
  at: string,
): Record<string, Charge> => {
  const ledger = ledgerOf(invoice);
  if (fee <= 0) return ledger;
  return { ...ledger, [feeChargeKey(stage)]: { kind: 'fee', amount: fee, stage, chargedAt: at } };
};

/**
 * The ledger after a stage's claim: its fee, and the statutory interest (to date) and compensation
 * its reminder states. A waived entry is never touched; compensation is charged once per invoice.
 */
export const withStageCharges = (invoice: Pick<Invoice, 'charges' | 'claims'>, claim: StageClaim) => {
  const ledger = withStageFee(invoice, claim.stage, claim.fee ?? 0, claim.claimedAt);
  const late = claim.latePayment;
  if (!late) return ledger;
  const next = { ...ledger };
  const common = { stage: claim.stage, chargedAt: claim.claimedAt, law: late.law };
  if (late.interest > 0 && !ledger.interest?.waived) {
    next.interest = { kind: 'interest', amount: late.interest, asOf: late.asOf, ...common };
  }
  if (late.compensation > 0 && !ledger.compensation) {
    next.compensation = { kind: 'compensation', amount: late.compensation, ...common };
  }
  return next;
};

export interface WaivedLedger {
  readonly charges: Record<string, Charge>;
  readonly feesCharged: number;
  /** `paid` when giving up the fee leaves nothing owed. */
  readonly status: Invoice['status'];
  readonly waived: Charge;
}

const describeTarget = (target: WaiveTarget) =>
  target.kind === 'fee' ? `the fee of stage "${target.stage}"` : `the ${target.kind}`;

/**
 * Waives one entry for good. A fee must have been charged; interest and compensation may be waived
 * before any reminder claimed them (`claimable` is what they stand at now), so none ever will.
 */
export const waiveCharge = (
  invoice: Invoice,
  target: WaiveTarget,
  waiver: Waiver,
  claimable: { readonly amount: number; readonly law?: string; readonly asOf?: string } = { amount: 0 },
): WaivedLedger => {
  const ledger = ledgerOf(invoice);
  const key = chargeKey(target);
  const existing = ledger[key];
  if (existing?.waived) {
    throw new UserInputError(
      `${describeTarget(target)} of invoice ${invoice.invoiceId} was already waived on ${existing.waived.at} by ${existing.waived.by}: ${existing.waived.reason}`,
    );
  }
  if (target.kind === 'fee' && !existing) {
    throw new UserInputError(`Invoice ${invoice.invoiceId} has no fee charged at stage "${target.stage}"`);
  }
  const entry: Charge = existing
    ? { ...existing, waived: waiver }
    : {
        kind: target.kind,
        amount: claimable.amount,
        chargedAt: waiver.at,
        ...(claimable.law === undefined ? {} : { law: claimable.law }),
        ...(claimable.asOf === undefined ? {} : { asOf: claimable.asOf }),
        waived: waiver,
      };
  const feesCharged =
    target.kind === 'fee' ? Math.max(0, invoice.feesCharged - entry.amount) : invoice.feesCharged;
  const settled = invoice.status === 'open' && outstanding({ ...invoice, feesCharged }) === 0;
  return {
    charges: { ...ledger, [key]: entry },
    feesCharged,
    status: settled ? 'paid' : invoice.status,
    waived: entry,
  };
};

/** Reads `--fee STAGE`, `--interest`, `--compensation`: exactly one of them. */
export const parseWaiveTarget = (flags: {
  readonly fee?: string;
  readonly interest?: boolean;
  readonly compensation?: boolean;
}): WaiveTarget => {
  const chosen = [flags.fee !== undefined, flags.interest === true, flags.compensation === true].filter(
    Boolean,
  );
  if (chosen.length !== 1) {
    throw new UserInputError('Say what to waive: exactly one of --fee STAGE, --interest, --compensation');
  }
  if (flags.fee !== undefined) {
    const stage = flags.fee.trim();
    if (!stage) throw new UserInputError('--fee needs the stage whose fee to waive, e.g. --fee third');
    return { kind: 'fee', stage };
  }
  return flags.interest ? { kind: 'interest' } : { kind: 'compensation' };
};

/** The ledger as `dunning show` lists it, oldest first; a waiver names who, when and why. */
export const ledgerView = (invoice: Pick<Invoice, 'charges' | 'claims' | 'currency'>) =>
  Object.entries(ledgerOf(invoice))
    .sort(([, a], [, b]) => a.chargedAt.localeCompare(b.chargedAt))
    .map(([key, charge]) => ({
      key,
      kind: charge.kind,
      stage: charge.stage ?? null,
      amount: charge.amount,
      currency: invoice.currency,
      chargedAt: charge.chargedAt,
      ...(charge.asOf ? { asOf: charge.asOf } : {}),
      ...(charge.law ? { law: charge.law } : {}),
      waived: charge.waived ?? null,
    }));
