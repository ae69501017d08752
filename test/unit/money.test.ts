import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allCurrencies,
  formatMoney,
  parseMajor,
  toMajorString,
} from '../../functions/shared/domain/money.ts';

describe('Money in minor units', () => {
  it.each([
    ['1234.50', 'USD', 123450],
    ['12.345', 'KWD', 12345],
    ['1200', 'JPY', 1200],
    ['0.1', 'EUR', 10],
    ['0', 'GBP', 0],
  ])('parses %s %s as %i minor units', (text, currency, minor) => {
    expect(parseMajor(text, currency)).toBe(minor);
  });

  it.each([
    ['12.345', 'USD', /at most 2 decimals/],
    ['1200.5', 'JPY', /no minor unit/],
    ['-5.00', 'USD', /negative/],
    ['1,000.00', 'USD', /decimal amount/],
    ['1e3', 'USD', /decimal amount/],
    ['', 'USD', /decimal amount/],
    ['10', 'ABC', /unknown currency/],
  ])('rejects %s %s', (text, currency, reason) => {
    expect(() => parseMajor(text, currency)).toThrowError(reason);
  });

  it('round-trips every currency of the ISO 4217 table without a float', () => {
    for (const { code, digits } of allCurrencies()) {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (minor) => {
          const text = toMajorString(minor, code);
          expect(text.split('.')[1]?.length ?? 0).toBe(digits);
          expect(parseMajor(text, code)).toBe(minor);
        }),
        { numRuns: 200 },
      );
    }
  });

  it('keeps amounts beyond float precision exact when formatting', () => {
    expect(toMajorString(9_007_199_254_740_991, 'USD')).toBe('90071992547409.91');
    expect(formatMoney(9_007_199_254_740_991, 'USD', 'en-US')).toBe('$90,071,992,547,409.91');
  });

  it('formats in the reader locale with the currency digits', () => {
    expect(formatMoney(123450, 'EUR', 'de-DE')).toBe('1.234,50\u00a0€');
    expect(formatMoney(1200, 'JPY', 'ja-JP')).toBe('￥1,200');
    expect(formatMoney(12345, 'KWD', 'en-US')).toBe('KWD\u00a012.345');
  });
});
