import { DateTime } from 'luxon';
import type { BusinessHours } from '../business-hours.ts';
import { type ClosedDays, NEVER_CLOSED } from '../holidays.ts';

/**
 * When a customer may be written to: inside the business hours in their own zone. Luxon does the zone
 * arithmetic, so a DST change, a half-hour offset or the date line moves the opening with the
 * customer's wall clock rather than with UTC.
 */

const minutesOfDay = (local: DateTime): number => local.hour * 60 + local.minute;

/**
 * True when the instant falls on a business day that is not a public holiday (`closed`), at or after
 * opening and before closing, locally.
 */
export const isWithinBusinessHours = (
  instant: Date,
  timeZone: string,
  hours: BusinessHours,
  closed: ClosedDays = NEVER_CLOSED,
): boolean => {
  const local = DateTime.fromJSDate(instant, { zone: timeZone });
  const minutes = minutesOfDay(local);
  return (
    hours.days.includes(local.weekday) &&
    !closed(local.toISODate() ?? '') &&
    minutes >= hours.opensAt &&
    minutes < hours.closesAt
  );
};

/** Far enough for any weekly hours and the longest run of public holidays (a New Year week). */
const SEARCH_DAYS = 31;

export interface Opening {
  readonly instant: Date;
  /** Wall-clock time in the customer's zone, `yyyy-MM-ddTHH:mm:ss`, as EventBridge Scheduler's `at()` takes it. */
  readonly localDateTime: string;
  readonly timeZone: string;
}

/**
 * The next moment business opens in the customer's zone, strictly after `instant`, skipping public
 * holidays (`closed`) exactly like days outside the weekly hours. An opening time that does not
 * exist on a spring-forward day is moved forward by luxon to the first valid minute.
 */
export const nextOpening = (
  instant: Date,
  timeZone: string,
  hours: BusinessHours,
  closed: ClosedDays = NEVER_CLOSED,
): Opening => {
  const local = DateTime.fromJSDate(instant, { zone: timeZone });
  for (let offset = 0; offset <= SEARCH_DAYS; offset++) {
    const day = local.startOf('day').plus({ days: offset });
    const opening = DateTime.fromObject(
      {
        year: day.year,
        month: day.month,
        day: day.day,
        hour: Math.floor(hours.opensAt / 60),
        minute: hours.opensAt % 60,
      },
      { zone: timeZone },
    );
    if (
      hours.days.includes(opening.weekday) &&
      !closed(opening.toISODate() ?? '') &&
      opening.toMillis() > instant.getTime()
    ) {
      return {
        instant: opening.toJSDate(),
        localDateTime: opening.toFormat("yyyy-MM-dd'T'HH:mm:ss"),
        timeZone,
      };
    }
  }
  // Unreachable for a parsed BusinessHours (at least one weekday) and a real calendar.
  throw new Error(`no business day in ${JSON.stringify(hours.days)} within ${SEARCH_DAYS} days`);
};
