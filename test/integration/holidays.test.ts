import { describe, expect, it } from 'vitest';
import { datePublicHolidays } from '../../functions/shared/adapters/holidays/date-holidays.ts';
import { closedDaysFor } from '../../functions/shared/domain/holidays.ts';

describe('National public holidays from date-holidays', () => {
  const holidays = datePublicHolidays();

  it('knows the national holidays of a country, substitute days included', async () => {
    const england = await holidays.of('GB', 2026);
    const germany = await holidays.of('DE', 2026);

    expect([...england]).toEqual(expect.arrayContaining(['2026-01-01', '2026-12-25', '2026-12-28']));
    expect(england.has('2026-12-24')).toBe(false);
    // German Unity Day is national; Epiphany (6 January) is only a holiday in some states.
    expect(germany.has('2026-10-03')).toBe(true);
    expect(germany.has('2026-01-06')).toBe(false);
  });

  it('knows no holidays of a country it has no calendar for', async () => {
    expect((await holidays.of('XX', 2026)).size).toBe(0);
  });

  it("reads this year's and next year's holidays in the customer's zone", async () => {
    const closed = await closedDaysFor(holidays, 'JP', new Date('2026-12-31T16:00:00Z'), 'Asia/Tokyo');

    expect(closed('2027-01-01')).toBe(true);
    expect(closed('2026-12-30')).toBe(false);
  });

  it('keeps no holidays for a customer without a country', async () => {
    const closed = await closedDaysFor(holidays, undefined, new Date('2026-12-25T10:00:00Z'), 'UTC');
    expect(closed('2026-12-25')).toBe(false);
  });
});
