import { DateTime } from 'luxon';

/**
 * Calendar arithmetic in a named zone. Due dates are calendar dates; whether one has passed, and by
 * how many days, depends on where the customer is, so every comparison goes through their zone.
 */

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** True for a real calendar date in ISO form (rejects 2026-02-30). */
export const isIsoDate = (text: string): boolean => ISO_DATE.test(text) && DateTime.fromISO(text).isValid;

/** The calendar date an instant falls on in a zone. */
export const localDate = (instant: Date, timeZone: string): string =>
  DateTime.fromJSDate(instant, { zone: timeZone }).toISODate() ?? '';

/** The date `days` after an ISO date (negative goes back). */
export const addDays = (isoDate: string, days: number): string =>
  DateTime.fromISO(isoDate, { zone: 'UTC' }).plus({ days }).toISODate() ?? '';

/** Whole calendar days from one ISO date to another (positive when `to` is later). */
export const daysBetween = (from: string, to: string): number =>
  Math.round(
    DateTime.fromISO(to, { zone: 'UTC' }).diff(DateTime.fromISO(from, { zone: 'UTC' }), 'days').days,
  );

/** The instant a calendar date begins in a zone (DST-correct: the first valid local minute). */
export const startOfLocalDay = (isoDate: string, timeZone: string): Date =>
  DateTime.fromISO(isoDate, { zone: timeZone }).startOf('day').toJSDate();

/** Days overdue as the customer counts them: today in their zone minus the due date, never below 0. */
export const daysOverdue = (dueDate: string, now: Date, timeZone: string): number =>
  Math.max(0, daysBetween(dueDate, localDate(now, timeZone)));

/** ISO instant in UTC with milliseconds, the form stored in sort keys so that text order is time order. */
export const toStoredInstant = (instant: Date): string => instant.toISOString();
