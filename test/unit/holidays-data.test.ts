import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Holidays from 'date-holidays';
import { describe, expect, it } from 'vitest';
import {
  closedDates,
  datePublicHolidays,
  type HolidayEntry,
} from '../../functions/shared/adapters/holidays/date-holidays.ts';
import {
  type HolidaysData,
  nationalCalendars,
} from '../../functions/shared/adapters/holidays/national-calendars.ts';

const { data: full } = createRequire(import.meta.url)('date-holidays/data') as { data: HolidaysData };
const committed = JSON.parse(
  readFileSync(
    new URL('../../functions/shared/adapters/holidays/national-holidays.json', import.meta.url),
    'utf8',
  ),
) as HolidaysData;

/** What the run would close with date-holidays' whole data: the oracle the cut data must match. */
const fullDataClosed = (country: string, year: number): string[] => {
  const entries = new Holidays(country, { types: ['public'] }).getHolidays(year) as unknown as HolidayEntry[];
  return [...new Set(entries.flatMap(closedDates))].sort();
};

describe('National calendars cut from date-holidays', () => {
  it('are what the installed date-holidays gives (after an upgrade: npm run holidays:data)', () => {
    expect(committed).toEqual(nationalCalendars(full));
  });

  it('keep every country, without its states and regions', () => {
    expect(Object.keys(committed.holidays).sort()).toEqual(Object.keys(full.holidays).sort());
    expect(Object.values(committed.holidays).filter((country) => country.states || country.regions)).toEqual(
      [],
    );
    expect(JSON.stringify(committed).length).toBeLessThan(JSON.stringify(full).length * 0.7);
  });

  it('close the same days as the whole data, in every country', async () => {
    const holidays = datePublicHolidays();
    const differences: string[] = [];
    for (const country of Object.keys(full.holidays))
      for (const year of [2026, 2027]) {
        const cut = [...(await holidays.of(country, year))].sort();
        if (JSON.stringify(cut) !== JSON.stringify(fullDataClosed(country, year)))
          differences.push(`${country} ${year}`);
      }

    expect(differences).toEqual([]);
    // Not vacuous: the calendars do close days (Christmas in Germany, the Emperor's Birthday in Japan).
    expect(await holidays.of('DE', 2026)).toContain('2026-12-25');
    expect(await holidays.of('JP', 2027)).toContain('2027-02-23');
  }, 60_000);
});
