import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { percentOf, stageFee } from '../../functions/shared/domain/fees.ts';
import { stage } from './reminder-fixtures.ts';

describe('Late fees', () => {
  it.each([
    [123450, 150, 1852], // 1851.75 rounds up
    [100, 150, 2], // 1.5 rounds half up
    [99, 150, 1], // 1.485 rounds down
    [10_000, 10_000, 10_000],
    [0, 150, 0],
  ])('takes %i minor units at %i basis points as %i', (amount, basisPoints, fee) => {
    expect(percentOf(amount, basisPoints)).toBe(fee);
  });

  it('stays within half a minor unit of the exact percentage for any amount', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
        fc.integer({ min: 1, max: 10_000 }),
        (amount, basisPoints) => {
          const fee = percentOf(amount, basisPoints);
          const error = BigInt(fee) * 10_000n - BigInt(amount) * BigInt(basisPoints);
          expect(Number.isSafeInteger(fee)).toBe(true);
          expect(error > -5_000n && error <= 5_000n).toBe(true);
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('charges a flat fee in the invoice currency minor units', () => {
    expect(stageFee(stage('third'), 'EUR', 123450)).toBe(1500);
    expect(stageFee(stage('third'), 'JPY', 120000)).toBe(2000);
    expect(stageFee(stage('third'), 'KWD', 12345)).toBe(5000);
  });

  it('charges no flat fee in a currency the policy does not price', () => {
    expect(stageFee(stage('third'), 'CHF', 123450)).toBe(0);
  });

  it('charges a percentage of what is outstanding', () => {
    expect(stageFee(stage('final'), 'EUR', 123450)).toBe(1852);
  });

  it('charges nothing for a stage without a fee or an invoice with nothing owed', () => {
    expect(stageFee(stage('second'), 'EUR', 123450)).toBe(0);
    expect(stageFee(stage('third'), 'EUR', 0)).toBe(0);
  });
});
