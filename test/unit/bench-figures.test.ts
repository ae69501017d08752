import { describe, expect, it } from 'vitest';
import { costPer100kReminders } from '../../bench/cost.ts';
import { figure } from '../../bench/figures.ts';
import { drawLatency, seededRandom } from '../../bench/latency.ts';
import { selectParts } from '../../bench/main.ts';
import { benchAsOf } from '../../bench/portfolio.ts';

describe('Bench figures', () => {
  it('marks a figure past its bound as missed, with enough digits to see by how much', () => {
    expect(figure('run.items_written_per_reminder', 4.000_18, 'items', { max: 4 })).toEqual({
      name: 'run.items_written_per_reminder',
      value: 4.0002,
      unit: 'items',
      target: '<= 4',
      ok: false,
    });
    expect(figure('ratio', 0.71, 'ratio', { min: 0.7 }).ok).toBe(true);
    expect(figure('rate', Number.NaN, 'x', { min: 0.7 }).ok).toBe(false);
  });

  it('prices 100k reminders as the sum of its parts', () => {
    const cost = costPer100kReminders({
      itemsReadPerReminder: 3,
      itemsWrittenPerReminder: 4,
      emailsPerReminder: 1,
      lambdaSecondsPerReminder: 0.01,
      lambdaMemoryMb: 1024,
      invocationsPerReminder: 0,
    });
    expect(cost.parts).toEqual({
      ses: 10,
      dynamodbReads: 0.0375,
      dynamodbWrites: 0.25,
      lambdaCompute: 0.0133,
      lambdaRequests: 0,
      scheduler: 0,
    });
    expect(cost.total).toBeCloseTo(10.3008, 4);
  });

  it('dates the run to the last Wednesday before today at 14:30 UTC', () => {
    expect(benchAsOf(new Date('2026-11-22T10:00:00Z')).toISOString()).toBe('2026-11-18T14:30:00.000Z');
    expect(benchAsOf(new Date('2026-11-18T20:00:00Z')).toISOString()).toBe('2026-11-11T14:30:00.000Z');
  });

  it('draws latencies around their median with the stated tail', () => {
    const random = seededRandom(42);
    const draws = Array.from({ length: 20_000 }, () => drawLatency({ p50Ms: 40, p99Ms: 160 }, random)).sort(
      (a, b) => a - b,
    );
    expect(draws[10_000]).toBeGreaterThan(38);
    expect(draws[10_000]).toBeLessThan(42);
    expect(draws[19_800]).toBeGreaterThan(145);
    expect(draws[19_800]).toBeLessThan(175);
    expect(draws[0]).toBeGreaterThan(0);
  });

  it('runs the parts named by --only, and refuses a part it does not have', () => {
    expect([...selectParts([])]).toEqual(['bundles', 'runs', 'webhooks', 'send-rate', 'deferrals']);
    expect([...selectParts(['--only=webhooks,deferrals'])]).toEqual(['webhooks', 'deferrals']);
    expect(() => selectParts(['--only=webhook'])).toThrow('unknown bench part webhook');
  });
});
