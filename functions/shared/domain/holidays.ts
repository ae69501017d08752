import { DateTime } from 'luxon';

/**
 * Public holidays, as a port: which calendar dates a country's customers are not written to. The
 * adapter reads a well-kept holiday calendar; the domain only asks for the dates of one year.
 */
export interface PublicHolidays {
  /** ISO dates of the national public holidays of `country` (ISO 3166-1 alpha-2) in `year`. */
  of(country: string, year: number): Promise<ReadonlySet<string>>;
}

/** A predicate over ISO dates: true when business is closed that day, beyond the weekly hours. */
export type ClosedDays = (isoDate: string) => boolean;

export const NEVER_CLOSED: ClosedDays = () => false;

/**
 * The holidays of the customer's country around `instant` (this year and the next in their zone, so
 * a deferral from late December lands past New Year's Day too), as one predicate.
 */
export const closedDaysFor = async (
  holidays: PublicHolidays | undefined,
  country: string | undefined,
  instant: Date,
  timeZone: string,
): Promise<ClosedDays> => {
  if (!holidays || !country) return NEVER_CLOSED;
  const year = DateTime.fromJSDate(instant, { zone: timeZone }).year;
  const [thisYear, nextYear] = await Promise.all([
    holidays.of(country, year),
    holidays.of(country, year + 1),
  ]);
  return (isoDate) => thisYear.has(isoDate) || nextYear.has(isoDate);
};
