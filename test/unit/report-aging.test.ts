import { describe, expect, it } from 'vitest';
import { agingBucket, daysPastDue } from '../../functions/shared/domain/report/aging.ts';
import { inPeriod, reportMoment } from '../../functions/shared/domain/report/period.ts';

describe('Aging buckets', () => {
  it.each([
    [-5, 'current'],
    [0, 'current'],
    [1, 'd1_30'],
    [30, 'd1_30'],
    [31, 'd31_60'],
    [60, 'd31_60'],
    [61, 'd61_90'],
    [90, 'd61_90'],
    [91, 'd90plus'],
    [400, 'd90plus'],
  ] as const)('puts an invoice %i days past due in %s', (days, bucket) => {
    expect(agingBucket(days)).toBe(bucket);
  });

  it("counts days past due on the customer's calendar, a day apart across the date line", () => {
    // Prepare: 12:00 UTC is 01:00 the next day in Auckland (NZDT) and 02:00 the same day in Honolulu.
    const at = new Date('2026-03-02T12:00:00Z');

    // Act
    const auckland = daysPastDue('2026-01-31', at, 'Pacific/Auckland');
    const honolulu = daysPastDue('2026-01-31', at, 'Pacific/Honolulu');

    // Assess
    expect(auckland).toBe(31);
    expect(honolulu).toBe(30);
    expect(agingBucket(auckland)).toBe('d31_60');
    expect(agingBucket(honolulu)).toBe('d1_30');
  });
});

describe('Report period', () => {
  it('stands at 12:00 of an --as-of date in the deployment zone, as dunning run does', () => {
    // Act
    const moment = reportMoment('2026-03-31', 'Europe/Berlin', new Date('2030-01-01T00:00:00Z'));

    // Assess: Berlin is on summer time from 29 March, so the period spans the change of offset.
    expect(moment.asOf).toBe('2026-03-31');
    expect(moment.at.toISOString()).toBe('2026-03-31T10:00:00.000Z');
    expect(moment.periodFrom.toISOString()).toBe('2026-03-01T11:00:00.000Z');
  });

  it('stands now, dated today in the deployment zone, without --as-of', () => {
    // Prepare: 23:30 UTC on 9 March is already 10 March in Tokyo.
    const now = new Date('2026-03-09T23:30:00Z');

    // Act
    const moment = reportMoment(undefined, 'Asia/Tokyo', now);

    // Assess
    expect(moment.asOf).toBe('2026-03-10');
    expect(moment.at).toEqual(now);
  });

  it('counts an instant after the start and up to and including the report instant', () => {
    // Prepare
    const moment = reportMoment('2026-03-31', 'UTC', new Date());

    // Act + Assess
    expect(inPeriod('2026-03-01T12:00:00.000Z', moment)).toBe(false);
    expect(inPeriod('2026-03-01T12:00:00.001Z', moment)).toBe(true);
    expect(inPeriod('2026-03-31T12:00:00.000Z', moment)).toBe(true);
    expect(inPeriod('2026-03-31T12:00:00.001Z', moment)).toBe(false);
    expect(inPeriod(undefined, moment)).toBe(false);
  });

  it('rejects an --as-of that is not an ISO date, naming the value', () => {
    expect(() => reportMoment('31/03/2026', 'UTC', new Date())).toThrow(/--as-of "31\/03\/2026"/);
  });
});
