import { addDays } from '../../domain/calendar.ts';
import type { PublicHolidays } from '../../domain/holidays.ts';

/**
 * National public holidays by `date-holidays`' rules (its parser), from its data cut to every
 * country's national calendar (national-calendars.ts). Both are imported only when a customer with
 * a country is first reminded, so a run's cold start does not pay for them; each country and year is
 * worked out once per process.
 */

export interface HolidayEntry {
  /** Local date and time the holiday starts, `YYYY-MM-DD HH:mm:ss`. */
  readonly date: string;
  readonly start: Date;
  readonly end: Date;
  readonly type: string;
}

const DAY_MS = 86_400_000;

/** The whole days an entry closes: a half day (an afternoon off) leaves the morning open. */
export const closedDates = (entry: HolidayEntry): string[] => {
  if (entry.type !== 'public' || !entry.date.endsWith('00:00:00')) return [];
  const days = Math.max(1, Math.round((entry.end.getTime() - entry.start.getTime()) / DAY_MS));
  const first = entry.date.slice(0, 10);
  return Array.from({ length: days }, (_, index) => addDays(first, index));
};

export const datePublicHolidays = (): PublicHolidays => {
  const years = new Map<string, Promise<ReadonlySet<string>>>();
  const load = async (country: string, year: number): Promise<ReadonlySet<string>> => {
    const [{ default: Holidays }, { default: calendars }] = await Promise.all([
      import('date-holidays-parser'),
      import('./national-holidays.json', { with: { type: 'json' } }),
    ]);
    // National only: no state or region, and only the days the law makes public holidays.
    const calendar = new Holidays(calendars, country, { types: ['public'] });
    const entries = (calendar.getHolidays(year) || []) as unknown as HolidayEntry[];
    return new Set(entries.flatMap(closedDates));
  };
  return {
    of: (country, year) => {
      const key = `${country}:${year}`;
      let known = years.get(key);
      if (!known) {
        known = load(country, year);
        years.set(key, known);
      }
      return known;
    },
  };
};
