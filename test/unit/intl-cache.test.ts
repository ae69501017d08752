import { describe, expect, it } from 'vitest';
import { cachedBy } from '../../functions/shared/domain/intl-cache.ts';
import { formatMoney } from '../../functions/shared/domain/money.ts';
import { formatDate, isSingular } from '../../functions/shared/domain/reminder/locale.ts';

describe('Intl objects built once per key', () => {
  it('builds once per key, holds at most its limit, and keeps nothing that failed to build', () => {
    const built: string[] = [];
    const format = cachedBy((key) => {
      built.push(key);
      if (key === 'bad') throw new RangeError('invalid');
      return { key };
    }, 2);

    const first = format('de-DE');
    expect(format('de-DE')).toBe(first);
    expect(() => format('bad')).toThrow('invalid');
    expect(() => format('bad')).toThrow('invalid');
    format('fr-FR');
    format('ja-JP');
    format('de-DE');

    // de-DE once, bad twice (never held), fr-FR, ja-JP; the limit of 2 dropped de-DE, built again.
    expect(built).toEqual(['de-DE', 'bad', 'bad', 'fr-FR', 'ja-JP', 'de-DE']);
  });

  it('formats as a fresh formatter does, whatever came before', () => {
    expect(formatMoney(123_450, 'EUR', 'de-DE')).toBe(
      new Intl.NumberFormat('de-DE', { style: 'currency', currency: 'EUR' }).format(1234.5),
    );
    expect(formatMoney(123_450, 'JPY', 'de-DE')).toBe(
      new Intl.NumberFormat('de-DE', { style: 'currency', currency: 'JPY' }).format(123_450),
    );
    expect(formatMoney(123_450, 'EUR', 'en-US')).toBe('€1,234.50');
    expect(() => formatMoney(100, 'XYZ1', 'en-US')).toThrow();
    expect(formatDate('2026-03-12', 'de-DE')).toBe('12. März 2026');
    expect(formatDate('2026-03-12', 'en-US')).toBe('March 12, 2026');
    expect([isSingular(1, 'en'), isSingular(2, 'en'), isSingular(1, 'ja')]).toEqual([true, false, false]);
  });
});
