import { addDays, daysBetween } from '../calendar.ts';
import type { LatePaymentLaw, Settles } from './laws.ts';
import { endOfHalfYear, halfYearOf, type ReferenceRates } from './reference-rates.ts';

/**
 * Statutory interest as the laws in laws.ts compute it: simple interest, per calendar day in the
 * customer's zone, from the day after the due date through the as-of day (or the day a payment
 * arrives), on a year of 365 days also in leap years, each period rounded half-up to a whole minor
 * unit. A part payment settles what the law says first. Pure: dates are ISO dates already in the
 * customer's zone.
 */

/** Money received (positive) or refunded (negative) on a calendar day in the customer's zone. */
export interface DatedAmount {
  readonly date: string;
  readonly amount: number;
}

export interface AccrualInput {
  readonly law: LatePaymentLaw;
  readonly rates: ReferenceRates;
  /** What the invoice asked for, net of what was paid before it was imported (minor units). */
  readonly principal: number;
  readonly currency: string;
  readonly dueDate: string;
  readonly asOf: string;
  readonly payments: readonly DatedAmount[];
  readonly waived: { readonly interest: boolean; readonly compensation: boolean };
}

export interface InterestPeriod {
  readonly from: string;
  readonly to: string;
  readonly days: number;
  readonly ratePercent: number;
  /** The principal interest ran on in this period (minor units). */
  readonly principal: number;
  readonly interest: number;
}

export interface Accrual {
  readonly ok: true;
  readonly periods: readonly InterestPeriod[];
  /** Sum of the periods' interest: what accrued, settled or not. */
  readonly interest: number;
  /** The fixed sum; 0 when waived or when the invoice is not in the law's currency. */
  readonly compensation: number;
  /** Why no compensation although one is owed in law: `currency` (not in the law's currency). */
  readonly compensationNote?: 'currency';
  /** What part payments settled of each, in the law's order. */
  readonly settled: { readonly interest: number; readonly compensation: number };
  readonly principalOutstanding: number;
}

export interface Unavailable {
  readonly ok: false;
  readonly reason: 'rate_unavailable';
  /** The half-year the table lacks, e.g. "2026-H2". */
  readonly halfYear: string;
}

const YEAR_DAYS = 365n;
const BASIS = 10_000n;

/** principal x rate x days / 365, rounded half-up to a whole minor unit, in exact integers. */
export const simpleInterest = (principal: number, basisPoints: number, days: number): number => {
  if (principal <= 0 || days <= 0 || basisPoints <= 0) return 0;
  const numerator = BigInt(principal) * BigInt(basisPoints) * BigInt(days);
  const denominator = BASIS * YEAR_DAYS;
  return Number((numerator * 2n + denominator) / (denominator * 2n));
};

const min = (...dates: string[]): string => dates.reduce((a, b) => (b < a ? b : a));

interface Owed {
  principal: number;
  interest: number;
  compensation: number;
}

/** Applies one payment (or refund) in the law's order; returns what each part settled. */
const settle = (owed: Owed, amount: number, order: readonly Settles[]): Record<Settles, number> => {
  const paid: Record<Settles, number> = { principal: 0, interest: 0, compensation: 0 };
  if (amount < 0) {
    // A refund makes the money owed again: the debt itself grows back.
    owed.principal -= amount;
    paid.principal = amount;
    return paid;
  }
  let left = amount;
  for (const part of order) {
    const take = Math.min(left, Math.max(0, owed[part]));
    owed[part] -= take;
    paid[part] = take;
    left -= take;
  }
  return paid;
};

const sumOn = (payments: readonly DatedAmount[], test: (date: string) => boolean) =>
  payments.filter((payment) => test(payment.date)).reduce((total, payment) => total + payment.amount, 0);

/**
 * The rate in basis points for interest from `date` (or from `start`, where the law fixes it for the
 * whole debt); the half-year, as text, when no rate is known for it.
 */
const rateOn = (
  law: AccrualInput['law'],
  rates: AccrualInput['rates'],
  start: string,
  date: string,
): number | string => {
  const half = halfYearOf(law.rateFixedForDebt ? start : date);
  if (law.since !== undefined && (law.rateFixedForDebt ? start : date) < law.since) return half;
  const rate = rates.rate(law.series, half);
  return rate === undefined ? half : rate.basisPoints + law.marginBasisPoints;
};

export const accrue = (input: AccrualInput): Accrual | Unavailable => {
  const { law, rates, dueDate, asOf } = input;
  const start = addDays(dueDate, 1);
  const atDue = Math.max(0, input.principal - sumOn(input.payments, (date) => date <= dueDate));
  const compensationOwedInLaw = atDue > 0 && asOf >= start ? law.compensationFor(atDue) : 0;
  const inLawCurrency = input.currency === law.compensationCurrency;
  const compensation = input.waived.compensation || !inLawCurrency ? 0 : compensationOwedInLaw;

  const owed: Owed = { principal: atDue, interest: 0, compensation };
  const settled = { interest: 0, compensation: 0 };
  const periods: InterestPeriod[] = [];
  const later = [...input.payments]
    .filter((payment) => payment.date > dueDate && payment.date <= asOf)
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  let cursor = start;
  let next = 0;
  while (cursor <= asOf) {
    const payDay = later[next]?.date;
    const end = min(asOf, law.rateFixedForDebt ? asOf : endOfHalfYear(cursor), payDay ?? asOf);
    if (owed.principal > 0 && !input.waived.interest) {
      const rate = rateOn(law, rates, start, cursor);
      if (typeof rate === 'string') return { ok: false, reason: 'rate_unavailable', halfYear: rate };
      const days = daysBetween(cursor, end) + 1;
      const interest = simpleInterest(owed.principal, rate, days);
      periods.push({
        from: cursor,
        to: end,
        days,
        ratePercent: rate / 100,
        principal: owed.principal,
        interest,
      });
      owed.interest += interest;
    }
    while (later[next]?.date === end) {
      const paid = settle(owed, later[next]?.amount ?? 0, law.settlementOrder);
      settled.interest += paid.interest;
      settled.compensation += paid.compensation;
      next += 1;
    }
    cursor = addDays(end, 1);
  }
  const interest = periods.reduce((total, period) => total + period.interest, 0);
  return {
    ok: true,
    periods,
    interest,
    compensation,
    ...(compensationOwedInLaw > 0 && !inLawCurrency && !input.waived.compensation
      ? { compensationNote: 'currency' as const }
      : {}),
    settled,
    principalOutstanding: owed.principal,
  };
};
