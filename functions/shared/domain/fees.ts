import { parseMajor } from './money.ts';
import type { Stage } from './policy.ts';

/**
 * Late fees a stage adds, in the invoice currency's minor units. The run charges a stage's fee at
 * most once per invoice (its claim records it); the preview and the email show the same figure.
 */

const BASIS_POINTS = 10_000n;

/**
 * `basisPoints` of an amount in minor units, rounded half-up to a whole minor unit (2.5 cents -> 3).
 * BigInt keeps the product exact for any safe-integer amount.
 */
export const percentOf = (amount: number, basisPoints: number): number => {
  const product = BigInt(amount) * BigInt(basisPoints);
  return Number((product + BASIS_POINTS / 2n) / BASIS_POINTS);
};

/**
 * The fee `stage` adds to an invoice whose own balance (fees aside, see `invoiceBalance`) is `balance`
 * minor units. A percentage is taken on that balance only, never on earlier fees. A flat fee
 * applies only in the currencies the policy lists: a currency it does not price gets no fee rather
 * than one converted at a guessed rate.
 */
export const stageFee = (stage: Pick<Stage, 'fee'>, currency: string, balance: number): number => {
  const fee = stage.fee;
  if (!fee || balance <= 0) return 0;
  if ('percentBasisPoints' in fee) return percentOf(balance, fee.percentBasisPoints);
  const flat = fee.flat[currency];
  return flat === undefined ? 0 : parseMajor(flat, currency);
};
