import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  daysBetween,
  daysOverdue,
  localDate,
  startOfLocalDay,
} from '../../functions/shared/domain/calendar.ts';

/**
 * The calendar's fast paths (UTC day numbers, one Intl formatter per zone, kept day starts) must give
 * what luxon gives, which is what they replaced: each case compares the two on instants and dates
 * where a shortcut would go wrong (DST changes at and around midnight, half-hour and 45-minute zones,
 * the date line, leap days, dates that do not exist, other ISO forms).
 */

const ZONES = [
  'UTC',
  'Europe/London',
  'Europe/Berlin',
  'America/New_York',
  'America/Santiago',
  'America/Havana',
  'America/St_Johns',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Asia/Tehran',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
  'Pacific/Kiritimati',
  'Pacific/Apia',
  'Etc/GMT+12',
];

const luxon = {
  localDate: (instant: Date, zone: string) => DateTime.fromJSDate(instant, { zone }).toISODate() ?? '',
  addDays: (date: string, days: number) =>
    DateTime.fromISO(date, { zone: 'UTC' }).plus({ days }).toISODate() ?? '',
  daysBetween: (from: string, to: string) =>
    Math.round(
      DateTime.fromISO(to, { zone: 'UTC' }).diff(DateTime.fromISO(from, { zone: 'UTC' }), 'days').days,
    ),
  startOfLocalDay: (date: string, zone: string) =>
    DateTime.fromISO(date, { zone }).startOf('day').toJSDate().getTime(),
};

const DATES = [
  '2026-02-28',
  '2024-02-29',
  '2026-02-29',
  '2026-02-30',
  '2026-13-01',
  '2026-00-10',
  '1000-01-01',
  '9999-12-31',
  '2026-03-29',
  '2026-10-25',
  '2026-03-08',
  '2026-11-01',
  '2026-04-05',
  '2026-09-06',
  '2026-3-1',
  '2026-03-01T10:00',
  '20260301',
  '2026-W10-1',
  'soon',
  '',
];

describe('calendar', () => {
  it('gives the local date luxon gives, at every quarter hour of each DST change day and across three years', () => {
    const differences: string[] = [];
    const check = (instant: number, zone: string) => {
      const at = new Date(instant);
      if (localDate(at, zone) !== luxon.localDate(at, zone))
        differences.push(`${zone} ${at.toISOString()}: ${localDate(at, zone)}`);
    };
    const offset = (instant: number, zone: string) => DateTime.fromMillis(instant, { zone }).offset;
    for (const zone of ZONES)
      for (let day = Date.UTC(2024, 0, 1); day < Date.UTC(2027, 0, 1); day += 86_400_000) {
        check(day + ((day / 86_400_000) % 97) * 60_000 * 14, zone);
        if (offset(day, zone) === offset(day + 86_400_000, zone)) continue;
        // The day the zone's clocks change: every quarter hour, and a millisecond before each.
        for (let at = day - 43_200_000; at < day + 129_600_000; at += 900_000) {
          check(at - 1, zone);
          check(at, zone);
        }
      }
    expect(differences).toEqual([]);
  });

  it('gives the same date for an instant asked again, and luxon`s answer outside four-digit years or known zones', () => {
    const asOf = new Date('2026-11-25T23:30:00Z');
    expect([localDate(asOf, 'Europe/Berlin'), localDate(asOf, 'Europe/Berlin')]).toEqual([
      '2026-11-26',
      '2026-11-26',
    ]);
    expect(localDate(asOf, 'America/New_York')).toBe('2026-11-25');
    for (const instant of [
      new Date(Date.UTC(-500, 0, 1)),
      new Date(Date.UTC(12_000, 0, 1)),
      new Date(Number.NaN),
    ])
      for (const zone of ['UTC', 'Europe/Berlin', 'Not/AZone', 'UTC+3'])
        expect(localDate(instant, zone)).toBe(luxon.localDate(instant, zone));
    expect(localDate(asOf, 'Not/AZone')).toBe('');
  });

  it('adds days and counts days between dates as luxon does, for real and impossible dates alike', () => {
    for (const date of DATES) {
      for (const days of [-400, -31, -1, 0, 1, 30, 365, 1.5])
        expect(addDays(date, days)).toBe(luxon.addDays(date, days));
      for (const to of DATES) expect(daysBetween(date, to)).toEqual(luxon.daysBetween(date, to));
    }
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(daysBetween('2025-12-31', '2026-03-01')).toBe(60);
    expect(daysOverdue('2026-11-20', new Date('2026-11-25T23:30:00Z'), 'Europe/Berlin')).toBe(6);
    expect(daysOverdue('2026-11-30', new Date('2026-11-25T23:30:00Z'), 'Europe/Berlin')).toBe(0);
  });

  it('starts a local day where luxon does, and hands out a fresh Date each time', () => {
    for (const date of DATES)
      for (const zone of [...ZONES, 'Not/AZone'])
        expect(startOfLocalDay(date, zone).getTime()).toEqual(luxon.startOfLocalDay(date, zone));
    const first = startOfLocalDay('2026-03-29', 'Europe/Berlin');
    first.setTime(0);
    expect(startOfLocalDay('2026-03-29', 'Europe/Berlin').toISOString()).toBe('2026-03-28T23:00:00.000Z');
    // Havana's clocks go from midnight to 01:00 on its spring day: the day starts at 01:00 local.
    expect(startOfLocalDay('2026-03-08', 'America/Havana').toISOString()).toBe('2026-03-08T05:00:00.000Z');
  });
});
