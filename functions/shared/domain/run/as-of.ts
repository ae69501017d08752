import { DateTime } from 'luxon';
import { UserInputError } from '../../errors.ts';
import { isIsoDate } from '../calendar.ts';

/**
 * The instant a run is "as of": an ISO date means 12:00 that day in the deployment's zone (the middle
 * of a business day almost everywhere); an ISO date-time without an offset is read in that zone too.
 */
export const parseAsOf = (text: string | undefined, deploymentTimeZone: string, now: Date): Date => {
  if (text === undefined) return now;
  const trimmed = text.trim();
  if (isIsoDate(trimmed)) {
    return DateTime.fromISO(`${trimmed}T12:00:00`, { zone: deploymentTimeZone }).toJSDate();
  }
  const parsed = DateTime.fromISO(trimmed, { zone: deploymentTimeZone, setZone: true });
  if (!/^\d{4}-\d{2}-\d{2}T/.test(trimmed) || !parsed.isValid) {
    throw new UserInputError(
      `--as-of "${text}" is not an ISO date (2026-03-10) or date-time (2026-03-10T09:30:00+01:00)`,
    );
  }
  return parsed.toJSDate();
};
