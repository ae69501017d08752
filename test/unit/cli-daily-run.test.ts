import { afterEach, describe, expect, it, vi } from 'vitest';
import { nextDailyRun, startDailyTimer } from '../../cli/local/daily-timer.ts';

describe('Next daily run time', () => {
  it('is later the same day when the run time has not passed yet', () => {
    const next = nextDailyRun(new Date('2026-03-10T06:00:00Z'), '08:00', 'Europe/Berlin');

    expect(next.toISOString()).toBe('2026-03-10T07:00:00.000Z');
  });

  it('is the next day when the run time has passed, and also at the exact run time', () => {
    expect(nextDailyRun(new Date('2026-03-10T09:00:00Z'), '08:00', 'UTC').toISOString()).toBe(
      '2026-03-11T08:00:00.000Z',
    );
    expect(nextDailyRun(new Date('2026-03-10T08:00:00Z'), '08:00', 'UTC').toISOString()).toBe(
      '2026-03-11T08:00:00.000Z',
    );
  });

  it('keeps 08:00 local time across the spring-forward change in Europe/Berlin', () => {
    // 2026-03-29: clocks go from 02:00 CET (+01:00) to 03:00 CEST (+02:00).
    const beforeChange = nextDailyRun(new Date('2026-03-28T07:30:00Z'), '08:00', 'Europe/Berlin');
    const afterChange = nextDailyRun(new Date('2026-03-28T07:00:00.001Z'), '08:00', 'Europe/Berlin');

    expect(beforeChange.toISOString()).toBe('2026-03-29T06:00:00.000Z');
    expect(afterChange.toISOString()).toBe('2026-03-29T06:00:00.000Z');
  });

  it('keeps 08:00 local time across the fall-back change in Europe/Berlin', () => {
    // 2026-10-25: clocks go from 03:00 CEST back to 02:00 CET.
    const next = nextDailyRun(new Date('2026-10-24T06:00:00Z'), '08:00', 'Europe/Berlin');

    expect(next.toISOString()).toBe('2026-10-25T07:00:00.000Z');
  });

  it('moves a run time that the spring-forward skips to the first valid local time', () => {
    const next = nextDailyRun(new Date('2026-03-28T12:00:00Z'), '02:30', 'Europe/Berlin');

    expect(next.toISOString()).toBe('2026-03-29T01:30:00.000Z');
  });

  it('runs a time the fall-back repeats only once that day', () => {
    // 02:30 happens at 00:30Z (CEST) and again at 01:30Z (CET); luxon resolves it to the second.
    const first = nextDailyRun(new Date('2026-10-24T12:00:00Z'), '02:30', 'Europe/Berlin');
    const duringFirstPass = nextDailyRun(new Date('2026-10-25T00:45:00Z'), '02:30', 'Europe/Berlin');
    const after = nextDailyRun(first, '02:30', 'Europe/Berlin');

    expect(first.toISOString()).toBe('2026-10-25T01:30:00.000Z');
    expect(duringFirstPass).toEqual(first);
    expect(after.toISOString()).toBe('2026-10-26T01:30:00.000Z');
  });
});

describe('Daily run timer', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs at the configured time each day and re-arms after each run', async () => {
    vi.useFakeTimers({ now: new Date('2026-03-27T06:00:00Z') });
    const runs: string[] = [];
    const timer = startDailyTimer({
      runAt: '08:00',
      zone: 'Europe/Berlin',
      run: async () => {
        runs.push(new Date().toISOString());
      },
      onError: (error) => {
        throw error;
      },
    });

    await vi.advanceTimersByTimeAsync((2 * 24 + 6) * 60 * 60 * 1000);
    timer.stop();

    // 08:00 in Berlin: +01:00 before 29 March, +02:00 from then on.
    expect(runs).toEqual([
      '2026-03-27T07:00:00.000Z',
      '2026-03-28T07:00:00.000Z',
      '2026-03-29T06:00:00.000Z',
    ]);
    expect(timer.next().toISOString()).toBe('2026-03-30T06:00:00.000Z');
  });

  it('reports a failed run and still runs the next day', async () => {
    vi.useFakeTimers({ now: new Date('2026-05-04T07:59:00Z') });
    const failures: string[] = [];
    let attempts = 0;
    const timer = startDailyTimer({
      runAt: '08:00',
      zone: 'UTC',
      run: async () => {
        attempts += 1;
        if (attempts === 1) throw new Error('store unreachable');
      },
      onError: (error) => failures.push((error as Error).message),
    });

    await vi.advanceTimersByTimeAsync(25 * 60 * 60 * 1000);
    timer.stop();

    expect(failures).toEqual(['store unreachable']);
    expect(attempts).toBe(2);
  });
});
