import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, daysBetween } from '../../functions/shared/domain/calendar.ts';
import { accrue, type DatedAmount, simpleInterest } from '../../functions/shared/domain/interest/accrual.ts';
import { type ClaimInput, latePaymentClaim } from '../../functions/shared/domain/interest/claim.ts';
import { lawFor } from '../../functions/shared/domain/interest/laws.ts';
import { loadReferenceRates } from '../../functions/shared/reference-rates.ts';

const rates = loadReferenceRates();
const noWaiver = { interest: false, compensation: false };

const law = (country: string) => {
  const found = lawFor(country);
  if (!found) throw new Error(`no law for ${country}`);
  return found;
};

const accrued = (
  country: string,
  principal: number,
  currency: string,
  dueDate: string,
  asOf: string,
  payments: readonly DatedAmount[] = [],
) => accrue({ law: law(country), rates, principal, currency, dueDate, asOf, payments, waived: noWaiver });

interface Overrides {
  readonly invoice?: Partial<ClaimInput['invoice']>;
  readonly customer?: Partial<ClaimInput['customer']>;
  readonly asOf?: Date;
  readonly waived?: ClaimInput['waived'];
}

const claim = ({ invoice, customer, asOf, waived }: Overrides = {}) =>
  latePaymentClaim({
    rates,
    payments: [],
    waived: waived ?? noWaiver,
    asOf: asOf ?? new Date('2025-08-15T12:00:00Z'),
    invoice: {
      invoiceId: 'INV-1',
      currency: 'EUR',
      amountDue: 1_000_000,
      amountPaid: 0,
      dueDate: '2025-05-31',
      status: 'open',
      flags: [],
      ...invoice,
    },
    customer: { timeZone: 'Europe/Berlin', status: 'active', country: 'DE', ...customer },
  });

describe('Statutory interest: worked examples (docs/late-payment.md)', () => {
  it('reproduces the French worked example: 15 000 € at 15 % for 30 days is 184,93 €', () => {
    // Les Echos Publishing, "Le calcul des pénalités de retard": [(15 000 x 15 %) x (30 / 365)] = 184,93 €.
    expect(simpleInterest(1_500_000, 1_500, 30)).toBe(18_493);
  });

  it('UK: £2,400 due 31 March 2026, 76 days at 3.75 % + 8 = 11.75 %: £58.72 and £70', () => {
    const result = accrued('GB', 240_000, 'GBP', '2026-03-31', '2026-06-15');
    expect(result).toMatchObject({
      ok: true,
      periods: [{ from: '2026-04-01', to: '2026-06-15', days: 76, ratePercent: 11.75, interest: 5_872 }],
      interest: 5_872,
      compensation: 7_000,
    });
  });

  it('UK: the rate of the half-year interest starts in holds for the debt across 1 July', () => {
    const result = accrued('GB', 50_000, 'GBP', '2025-06-20', '2025-08-10');
    expect(result).toMatchObject({
      periods: [{ from: '2025-06-21', to: '2025-08-10', days: 51, ratePercent: 12.75, interest: 891 }],
      compensation: 4_000,
    });
  });

  it.each([
    [99_999, 4_000],
    [100_000, 7_000],
    [999_999, 7_000],
    [1_000_000, 10_000],
  ])('UK: a debt of %i pence carries a fixed sum of %i pence', (debt, sum) => {
    expect(accrued('GB', debt, 'GBP', '2025-01-31', '2025-02-01')).toMatchObject({ compensation: sum });
  });

  it('Germany: €10,000 follows the Basiszinssatz across 1 July 2025 (2.27 → 1.27, + 9 points)', () => {
    const result = accrued('DE', 1_000_000, 'EUR', '2025-05-31', '2025-08-15');
    expect(result).toMatchObject({
      periods: [
        { from: '2025-06-01', to: '2025-06-30', days: 30, ratePercent: 11.27, interest: 9_263 },
        { from: '2025-07-01', to: '2025-08-15', days: 46, ratePercent: 10.27, interest: 12_943 },
      ],
      interest: 22_206,
      compensation: 4_000,
    });
  });

  it('Germany: a part payment settles the Pauschale, then interest, then principal (§ 367 BGB)', () => {
    const result = accrued('DE', 1_000_000, 'EUR', '2025-05-31', '2025-08-15', [
      { date: '2025-07-10', amount: 100_000 },
    ]);
    expect(result).toMatchObject({
      periods: [
        { from: '2025-06-01', to: '2025-06-30', principal: 1_000_000, interest: 9_263 },
        { from: '2025-07-01', to: '2025-07-10', days: 10, principal: 1_000_000, interest: 2_814 },
        { from: '2025-07-11', to: '2025-08-15', days: 36, principal: 916_077, interest: 9_279 },
      ],
      interest: 21_356,
      settled: { compensation: 4_000, interest: 12_077 },
      principalOutstanding: 916_077,
    });
  });

  it('Germany: 29 February is a day of interest and the year still has 365 days', () => {
    const result = accrued('DE', 365_000, 'EUR', '2024-02-28', '2024-03-01');
    expect(result).toMatchObject({ periods: [{ days: 2, ratePercent: 12.62, interest: 252 }] });
  });

  it('France: ECB rate + 10 points, per half-year, across 1 January 2025', () => {
    const result = accrued('FR', 500_000, 'EUR', '2024-12-20', '2025-01-19');
    expect(result).toMatchObject({
      periods: [
        { from: '2024-12-21', to: '2024-12-31', days: 11, ratePercent: 14.25, interest: 2_147 },
        { from: '2025-01-01', to: '2025-01-19', days: 19, ratePercent: 13.15, interest: 3_423 },
      ],
      interest: 5_570,
      compensation: 4_000,
    });
  });

  it('France: a part payment settles interest first (Code civil art. 1343-1)', () => {
    const result = accrued('FR', 500_000, 'EUR', '2024-12-20', '2025-01-19', [
      { date: '2025-01-10', amount: 100_000 },
    ]);
    expect(result).toMatchObject({
      periods: [
        { to: '2024-12-31', interest: 2_147 },
        { from: '2025-01-01', to: '2025-01-10', interest: 1_801 },
        { from: '2025-01-11', to: '2025-01-19', principal: 407_948, interest: 1_323 },
      ],
      interest: 5_271,
      settled: { interest: 3_948, compensation: 4_000 },
    });
  });

  it('Italy (Directive 2011/7/EU minimum): ECB rate + 8 points across 1 July 2023', () => {
    const result = accrued('IT', 200_000, 'EUR', '2023-06-15', '2023-07-05');
    expect(result).toMatchObject({
      periods: [
        { days: 15, ratePercent: 10.5, interest: 863 },
        { days: 5, ratePercent: 12, interest: 329 },
      ],
      interest: 1_192,
      compensation: 4_000,
    });
  });

  it('UK: a part payment goes to the debt, and interest runs on what is left', () => {
    const result = accrued('GB', 240_000, 'GBP', '2026-03-31', '2026-06-15', [
      { date: '2026-04-30', amount: 40_000 },
    ]);
    expect(result).toMatchObject({
      periods: [
        { from: '2026-04-01', to: '2026-04-30', principal: 240_000, interest: 2_318 },
        { from: '2026-05-01', to: '2026-06-15', principal: 200_000, interest: 2_962 },
      ],
      settled: { interest: 0, compensation: 0 },
    });
  });

  it('UK: after a part payment past 1 July the debt keeps the rate of the half-year it fell due in', () => {
    // £500 at 4.75 % + 8 (2025-H1) throughout, never 4.25 % + 8 (2025-H2):
    // 50 000 x 12.75 % x 25 / 365 = 436.64 -> 437; 30 000 x 12.75 % x 26 / 365 = 272.47 -> 272.
    const result = accrued('GB', 50_000, 'GBP', '2025-06-20', '2025-08-10', [
      { date: '2025-07-15', amount: 20_000 },
    ]);
    expect(result).toMatchObject({
      periods: [
        {
          from: '2025-06-21',
          to: '2025-07-15',
          days: 25,
          ratePercent: 12.75,
          principal: 50_000,
          interest: 437,
        },
        {
          from: '2025-07-16',
          to: '2025-08-10',
          days: 26,
          ratePercent: 12.75,
          principal: 30_000,
          interest: 272,
        },
      ],
      interest: 709,
    });
  });

  it('Germany: a payment on the due date itself is on time; interest runs on the rest only', () => {
    // 6 000 € x 11.27 % x 30 / 365 = 55.578 -> 55,58 €.
    const result = accrued('DE', 1_000_000, 'EUR', '2025-05-31', '2025-06-30', [
      { date: '2025-05-31', amount: 400_000 },
    ]);
    expect(result).toMatchObject({
      periods: [{ from: '2025-06-01', to: '2025-06-30', days: 30, principal: 600_000, interest: 5_558 }],
      interest: 5_558,
      compensation: 4_000,
      settled: { interest: 0, compensation: 0 },
      principalOutstanding: 600_000,
    });
  });

  it('Bulgaria: the ECB rate applies from its euro adoption (2026-01-01), not before', () => {
    // Before it the Directive's reference rate was the Bulgarian National Bank's, which the table lacks.
    expect(accrued('BG', 200_000, 'EUR', '2025-12-10', '2025-12-20')).toEqual({
      ok: false,
      reason: 'rate_unavailable',
      halfYear: '2025-H2',
    });
    // 2 000 € x (2.15 % + 8) x 10 / 365 = 5.561 -> 5,56 €.
    expect(accrued('BG', 200_000, 'EUR', '2026-01-10', '2026-01-20')).toMatchObject({
      ok: true,
      periods: [{ from: '2026-01-11', to: '2026-01-20', days: 10, ratePercent: 10.15, interest: 556 }],
    });
  });
});

describe('Statutory interest: what is not claimed', () => {
  it('claims nothing from a consumer', () => {
    expect(claim({ customer: { customerType: 'consumer' } })).toMatchObject({
      applicable: false,
      reason: 'consumer',
      interest: 0,
      compensation: 0,
      periods: [],
    });
  });

  it('claims nothing on a disputed invoice', () => {
    expect(claim({ invoice: { flags: ['disputed'] } })).toMatchObject({
      applicable: false,
      reason: 'disputed',
    });
  });

  it('claims nothing before the day after the due date, counted in the customer’s zone', () => {
    // 22:30 UTC on the due date is already the next day in Berlin (summer time, UTC+2).
    expect(claim({ asOf: new Date('2025-05-31T21:30:00Z') })).toMatchObject({ reason: 'not_overdue' });
    expect(claim({ asOf: new Date('2025-05-31T22:30:00Z') })).toMatchObject({
      applicable: true,
      asOf: '2025-06-01',
      periods: [{ days: 1 }],
    });
  });

  it('claims nothing where no law is known, or on a paid invoice', () => {
    expect(claim({ customer: { country: 'US' } })).toMatchObject({
      reason: 'no_statute',
    });
    expect(claim({ invoice: { status: 'paid' } })).toMatchObject({ reason: 'paid' });
  });

  it('says so, and claims nothing, when the rate table lacks a half-year', () => {
    const result = claim({ invoice: { dueDate: '2026-06-20' }, asOf: new Date('2026-07-10T12:00:00Z') });
    expect(result).toMatchObject({ applicable: false, reason: 'rate_unavailable', interest: 0 });
    expect(result.detail).toContain('2026-H2');
  });

  it('gives no converted fixed sum on an invoice outside the law’s currency', () => {
    const result = claim({ invoice: { currency: 'USD' } });
    expect(result).toMatchObject({ applicable: true, compensation: 0, interest: 22_206 });
    expect(result.detail).toContain('EUR');
  });

  it('claims neither part once waived', () => {
    const result = claim({ waived: { interest: true, compensation: true } });
    expect(result).toMatchObject({ applicable: true, interest: 0, compensation: 0, periods: [] });
  });
});

const COUNTRIES = ['GB', 'DE', 'FR', 'IT', 'ES', 'NL'];
const dueDates = fc
  .integer({ min: 0, max: daysBetween('2023-01-01', '2025-12-31') })
  .map((offset) => addDays('2023-01-01', offset));

const scenario = fc.record({
  country: fc.constantFrom(...COUNTRIES),
  principal: fc.integer({ min: 1, max: 10_000_000_000 }),
  dueDate: dueDates,
  length: fc.integer({ min: 0, max: 700 }),
  payments: fc.array(
    fc.record({ after: fc.integer({ min: 1, max: 700 }), amount: fc.integer({ min: 1, max: 1e9 }) }),
    {
      maxLength: 4,
    },
  ),
});

interface Scenario {
  readonly country: string;
  readonly principal: number;
  readonly dueDate: string;
  readonly length: number;
  readonly payments: readonly { readonly after: number; readonly amount: number }[];
}

const run = (s: Scenario, asOfShift = 0) => {
  const asOf = addDays(s.dueDate, Math.min(s.length, daysBetween(s.dueDate, '2026-06-30')) + asOfShift);
  return accrue({
    law: law(s.country),
    rates,
    principal: s.principal,
    currency: s.country === 'GB' ? 'GBP' : 'EUR',
    dueDate: s.dueDate,
    asOf,
    payments: s.payments.map((p) => ({ date: addDays(s.dueDate, p.after), amount: p.amount })),
    waived: noWaiver,
  });
};

describe('Statutory interest: properties', () => {
  it('is never negative, and is exactly the sum of its periods', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const result = run(s);
        if (!result.ok) return;
        expect(result.interest).toBeGreaterThanOrEqual(0);
        for (const period of result.periods) {
          expect(period.interest).toBeGreaterThanOrEqual(0);
          expect(period.days).toBe(daysBetween(period.from, period.to) + 1);
        }
        expect(result.interest).toBe(result.periods.reduce((sum, period) => sum + period.interest, 0));
      }),
      { numRuns: 500 },
    );
  });

  it('covers every day from the day after the due date, without gap or overlap, while nothing is paid', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const result = run({ ...s, payments: [] });
        if (!result.ok || result.periods.length === 0) return;
        expect(result.periods[0]?.from).toBe(addDays(s.dueDate, 1));
        result.periods.forEach((period, index) => {
          const previous = result.periods[index - 1];
          if (previous) expect(period.from).toBe(addDays(previous.to, 1));
        });
        const days = result.periods.reduce((sum, period) => sum + period.days, 0);
        expect(days).toBe(daysBetween(addDays(s.dueDate, 1), result.periods.at(-1)?.to ?? '') + 1);
      }),
      { numRuns: 300 },
    );
  });

  it('stops at payment: once all is paid, a later day adds no interest', () => {
    fc.assert(
      fc.property(scenario, fc.integer({ min: 1, max: 200 }), (s, later) => {
        const paidAfter = Math.max(1, Math.min(s.length, daysBetween(s.dueDate, '2026-06-30') - 200));
        // Enough to settle principal, any interest and the fixed sum in any law's order.
        const everything = { after: paidAfter, amount: s.principal * 2 + 20_000 };
        const atPayment = run({ ...s, length: paidAfter, payments: [everything] });
        const afterwards = run({ ...s, length: paidAfter, payments: [everything] }, later);
        if (!atPayment.ok || !afterwards.ok) return;
        expect(afterwards.interest).toBe(atPayment.interest);
        expect(afterwards.principalOutstanding).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('rounds each period within half a minor unit of the exact amount', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000_000 }),
        fc.integer({ min: 1, max: 3_000 }),
        fc.integer({ min: 1, max: 366 }),
        (principal, basisPoints, days) => {
          const exact = BigInt(principal) * BigInt(basisPoints) * BigInt(days);
          const error = BigInt(simpleInterest(principal, basisPoints, days)) * 3_650_000n - exact;
          expect(error > -1_825_000n && error <= 1_825_000n).toBe(true);
        },
      ),
      { numRuns: 1_000 },
    );
  });
});
