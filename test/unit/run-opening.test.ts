import { describe, expect, it } from 'vitest';
import { parseBusinessHours } from '../../functions/shared/domain/business-hours.ts';
import { isWithinBusinessHours, nextOpening } from '../../functions/shared/domain/run/opening.ts';

const hours = parseBusinessHours('Mon-Fri 09:00-17:00');
const at = (iso: string) => new Date(iso);

describe('Public holidays', () => {
  // England and Wales, Christmas 2026: Friday 25, Boxing Day on Saturday 26, its substitute Monday 28.
  const closed = (isoDate: string) => ['2026-12-25', '2026-12-26', '2026-12-28'].includes(isoDate);

  it('closes business on a holiday that falls on a weekday', () => {
    expect(isWithinBusinessHours(at('2026-12-25T11:00:00Z'), 'Europe/London', hours, closed)).toBe(false);
    expect(isWithinBusinessHours(at('2026-12-29T11:00:00Z'), 'Europe/London', hours, closed)).toBe(true);
  });

  it('opens on the next business day that is not a holiday, past the weekend between', () => {
    const opening = nextOpening(at('2026-12-24T18:00:00Z'), 'Europe/London', hours, closed);
    expect(opening.localDateTime).toBe('2026-12-29T09:00:00');
  });
});

describe('Business hours in the customer zone', () => {
  it('is open on a weekday afternoon in Berlin', () => {
    expect(isWithinBusinessHours(at('2026-03-10T13:00:00Z'), 'Europe/Berlin', hours)).toBe(true);
  });

  it('is closed at 17:00 sharp, the closing minute', () => {
    expect(isWithinBusinessHours(at('2026-03-10T16:00:00Z'), 'Europe/Berlin', hours)).toBe(false);
  });

  it('defers a customer whose local time is Saturday to Monday 09:00', () => {
    const opening = nextOpening(at('2026-03-14T10:00:00Z'), 'Europe/Berlin', hours);
    expect(opening.localDateTime).toBe('2026-03-16T09:00:00');
    expect(opening.instant.toISOString()).toBe('2026-03-16T08:00:00.000Z');
  });

  it('moves the opening with the wall clock across the spring-forward weekend in Berlin', () => {
    // Friday 18:00 CET; the clocks go forward on Sunday 29 March, so Monday opens at 07:00 UTC, not 08:00.
    const opening = nextOpening(at('2026-03-27T17:00:00Z'), 'Europe/Berlin', hours);
    expect(opening.localDateTime).toBe('2026-03-30T09:00:00');
    expect(opening.instant.toISOString()).toBe('2026-03-30T07:00:00.000Z');
  });

  it('opens at 09:00 EST the Monday after New York falls back', () => {
    const opening = nextOpening(at('2026-10-31T15:00:00Z'), 'America/New_York', hours);
    expect(opening.localDateTime).toBe('2026-11-02T09:00:00');
    expect(opening.instant.toISOString()).toBe('2026-11-02T14:00:00.000Z');
  });

  it('keeps the half hour of Asia/Kolkata', () => {
    // 03:00 UTC is 08:30 IST: closed, opens half an hour later.
    expect(isWithinBusinessHours(at('2026-03-10T03:00:00Z'), 'Asia/Kolkata', hours)).toBe(false);
    expect(nextOpening(at('2026-03-10T03:00:00Z'), 'Asia/Kolkata', hours).instant.toISOString()).toBe(
      '2026-03-10T03:30:00.000Z',
    );
  });

  it('keeps the half hour of America/St_Johns', () => {
    // 12:15 UTC on a Tuesday in March (NDT, -02:30) is 09:45 local.
    expect(isWithinBusinessHours(at('2026-03-10T12:15:00Z'), 'America/St_Johns', hours)).toBe(true);
    expect(isWithinBusinessHours(at('2026-03-10T11:15:00Z'), 'America/St_Johns', hours)).toBe(false);
  });

  it('treats the same instant as Saturday in Kiritimati and Friday in Pago Pago', () => {
    const instant = at('2026-03-13T22:00:00Z'); // Sat 12:00 at +14, Fri 11:00 at -11
    expect(isWithinBusinessHours(instant, 'Pacific/Kiritimati', hours)).toBe(false);
    expect(isWithinBusinessHours(instant, 'Pacific/Pago_Pago', hours)).toBe(true);
    expect(nextOpening(instant, 'Pacific/Kiritimati', hours).localDateTime).toBe('2026-03-16T09:00:00');
  });

  it('honours custom days such as Mon,Wed,Fri 08:30-12:00', () => {
    const custom = parseBusinessHours('Mon,Wed,Fri 08:30-12:00');
    const opening = nextOpening(at('2026-03-10T12:00:00Z'), 'UTC', custom); // Tuesday
    expect(opening.localDateTime).toBe('2026-03-11T08:30:00');
  });
});
