import { describe, expect, it } from 'vitest';
import { parseAsOf } from '../../functions/shared/domain/run/as-of.ts';
import { countSkip, emptySummary, formatRunSummary } from '../../functions/shared/domain/run/summary.ts';
import { UserInputError } from '../../functions/shared/errors.ts';

describe('Run --as-of', () => {
  const now = new Date('2026-03-10T07:00:00Z');

  it('reads an ISO date as 12:00 that day in the deployment zone', () => {
    expect(parseAsOf('2026-03-30', 'Europe/Berlin', now).toISOString()).toBe('2026-03-30T10:00:00.000Z');
  });

  it('keeps the offset of an ISO date-time', () => {
    expect(parseAsOf('2026-03-10T09:30:00+05:30', 'UTC', now).toISOString()).toBe('2026-03-10T04:00:00.000Z');
  });

  it('defaults to now', () => {
    expect(parseAsOf(undefined, 'UTC', now)).toBe(now);
  });

  it('names the value it cannot read', () => {
    expect(() => parseAsOf('10/03/2026', 'UTC', now)).toThrow(UserInputError);
    expect(() => parseAsOf('2026-02-30', 'UTC', now)).toThrow('"2026-02-30"');
  });
});

describe('Run summary', () => {
  it('lists every skip reason at zero so runs compare field by field', () => {
    expect(emptySummary('2026-03-10T12:00:00.000+00:00', false).skipped).toEqual({
      paused: 0,
      disputed: 0,
      opted_out: 0,
      bounced: 0,
      paid: 0,
      below_minimum: 0,
      currency_mismatch: 0,
      min_gap: 0,
      unknown_outcome: 0,
      promised: 0,
      paid_claimed: 0,
      plan_requested: 0,
    });
  });

  it('prints sent, deferred, skipped by reason and what needs an operator', () => {
    const summary = {
      ...emptySummary('2026-03-10T12:00:00.000+00:00', false),
      considered: 7,
      sent: 3,
      emails: 2,
      deferred: 1,
    };
    countSkip(summary, 'paused');
    countSkip(summary, 'unknown_outcome');

    const text = formatRunSummary(summary);

    expect(text).toContain('sent        3 reminders in 2 emails');
    expect(text).toContain('deferred    1');
    expect(text).toMatch(/paused\s+1/);
    expect(text).toContain('unknown send outcome need an operator');
  });
});
