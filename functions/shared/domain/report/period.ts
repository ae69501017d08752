import { DateTime } from 'luxon';
import { localDate } from '../calendar.ts';
import { parseAsOf } from '../run/as-of.ts';

/** Reminders and recoveries are counted over this many days up to the report's instant. */
export const REPORT_PERIOD_DAYS = 30;

export interface ReportMoment {
  /** The report's date in the deployment's zone. */
  readonly asOf: string;
  /** The instant aging is measured at; the end of the period. */
  readonly at: Date;
  /** Start of the period (exclusive): the same wall-clock time `REPORT_PERIOD_DAYS` days earlier. */
  readonly periodFrom: Date;
}

/**
 * When a report stands. `--as-of DATE` is read exactly as `dunning run --as-of DATE` reads it (12:00
 * that day in the deployment's zone), so a report and a run of the same date agree on how many days
 * overdue every invoice is; with no date the report stands now.
 */
export const reportMoment = (
  text: string | undefined,
  deploymentTimeZone: string,
  now: Date,
): ReportMoment => {
  const at = parseAsOf(text, deploymentTimeZone, now);
  const periodFrom = DateTime.fromJSDate(at, { zone: deploymentTimeZone })
    .minus({ days: REPORT_PERIOD_DAYS })
    .toJSDate();
  return { asOf: localDate(at, deploymentTimeZone), at, periodFrom };
};

/** True when an ISO instant falls in (periodFrom, at]. */
export const inPeriod = (instant: string | undefined, moment: ReportMoment): boolean => {
  if (!instant) return false;
  const time = Date.parse(instant);
  return time > moment.periodFrom.getTime() && time <= moment.at.getTime();
};
