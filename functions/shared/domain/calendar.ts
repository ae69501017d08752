import { DateTime } from 'luxon';
import { cachedBy } from './intl-cache.ts';

/**
 * Calendar arithmetic in a named zone. Due dates are calendar dates; whether one has passed, and by
 * how many days, depends on where the customer is, so every comparison goes through their zone.
 *
 * A run asks these for every customer, several times each, with the same few zones and dates: plain
 * ISO dates are counted as UTC day numbers, the date an instant falls on comes from one cached
 * `Intl.DateTimeFormat` per zone, and the start of a local day is kept once computed. Anything else
 * (another ISO form, a zone Intl does not name) goes through luxon as before.
 */

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

/** True for a real calendar date in ISO form (rejects 2026-02-30). */
export const isIsoDate = (text: string): boolean => ISO_DATE.test(text) && DateTime.fromISO(text).isValid;

/** The UTC day number of a plain ISO date (days since 1970-01-01), or undefined for anything else. */
const dayNumber = (isoDate: string): number | undefined => {
  if (!ISO_DATE.test(isoDate)) return undefined;
  const year = Number(isoDate.slice(0, 4));
  const month = Number(isoDate.slice(5, 7));
  const day = Number(isoDate.slice(8, 10));
  const ms = Date.UTC(year, month - 1, day);
  const date = new Date(ms);
  // Date.UTC rolls 2026-02-30 over into March: such a date is not one.
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day)
    return undefined;
  return ms / DAY_MS;
};

const pad = (value: number, width: number) => String(value).padStart(width, '0');

/** The ISO date of a UTC day number, in luxon's form (four-digit years; a sign and six beyond them). */
const isoOfDay = (days: number): string => {
  const date = new Date(days * DAY_MS);
  const year = date.getUTCFullYear();
  const yearText =
    year >= 0 && year <= 9999 ? pad(year, 4) : `${year < 0 ? '-' : '+'}${pad(Math.abs(year), 6)}`;
  return `${yearText}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}`;
};

/** Local dates a zone's formatter gave, by instant: a run asks for its own instant thousands of times. */
const LOCAL_DATES_KEPT = 1024;

/** One formatter per zone for the local calendar date's parts, and what it gave; undefined for a zone Intl refuses. */
const zoneDates = cachedBy(
  (timeZone: string): { format: Intl.DateTimeFormat; dates: Map<number, string> } | undefined => {
    try {
      const format = new Intl.DateTimeFormat('en-US', {
        timeZone,
        calendar: 'gregory',
        numberingSystem: 'latn',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
      });
      return { format, dates: new Map() };
    } catch {
      return undefined;
    }
  },
);

/** Instants whose local date has a four-digit year in every zone: the formatter's years need no era. */
const FOUR_DIGIT_YEARS = { from: Date.UTC(1000, 0, 2), to: Date.UTC(9999, 11, 30) };

/** The calendar date an instant falls on in a zone. */
export const localDate = (instant: Date, timeZone: string): string => {
  const zone = zoneDates(timeZone);
  const ms = instant.getTime();
  if (!zone || !(ms >= FOUR_DIGIT_YEARS.from && ms <= FOUR_DIGIT_YEARS.to))
    return DateTime.fromJSDate(instant, { zone: timeZone }).toISODate() ?? '';
  const known = zone.dates.get(ms);
  if (known !== undefined) return known;
  let year = '';
  let month = '';
  let day = '';
  for (const part of zone.format.formatToParts(ms)) {
    if (part.type === 'year') year = part.value;
    else if (part.type === 'month') month = part.value;
    else if (part.type === 'day') day = part.value;
  }
  const date = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
  if (zone.dates.size >= LOCAL_DATES_KEPT) zone.dates.clear();
  zone.dates.set(ms, date);
  return date;
};

/** The date `days` after an ISO date (negative goes back). */
export const addDays = (isoDate: string, days: number): string => {
  const start = dayNumber(isoDate);
  if (start !== undefined && Number.isInteger(days)) return isoOfDay(start + days);
  return DateTime.fromISO(isoDate, { zone: 'UTC' }).plus({ days }).toISODate() ?? '';
};

/** Whole calendar days from one ISO date to another (positive when `to` is later). */
export const daysBetween = (from: string, to: string): number => {
  const start = dayNumber(from);
  const end = dayNumber(to);
  if (start !== undefined && end !== undefined) return end - start;
  return Math.round(
    DateTime.fromISO(to, { zone: 'UTC' }).diff(DateTime.fromISO(from, { zone: 'UTC' }), 'days').days,
  );
};

/** Start instants of local days already worked out, by zone and date: a run asks for the same few. */
const dayStarts = cachedBy((key: string): number => {
  const split = key.indexOf('|');
  return DateTime.fromISO(key.slice(split + 1), { zone: key.slice(0, split) })
    .startOf('day')
    .toMillis();
}, 4096);

/** The instant a calendar date begins in a zone (DST-correct: the first valid local minute). */
export const startOfLocalDay = (isoDate: string, timeZone: string): Date =>
  new Date(dayStarts(`${timeZone}|${isoDate}`));

/** Days overdue as the customer counts them: today in their zone minus the due date, never below 0. */
export const daysOverdue = (dueDate: string, now: Date, timeZone: string): number =>
  Math.max(0, daysBetween(dueDate, localDate(now, timeZone)));

/** ISO instant in UTC with milliseconds, the form stored in sort keys so that text order is time order. */
export const toStoredInstant = (instant: Date): string => instant.toISOString();
