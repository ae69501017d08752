import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Mailer, OutgoingEmail } from '../../functions/shared/domain/ports.ts';
import { MIN_CUSTOMERS_IN_FLIGHT } from '../../functions/shared/domain/run/pace.ts';
import type { TestStore } from '../support/emulators.ts';
import { startTestStore } from '../support/emulators.ts';
import { buildRun, customer, invoice, seed } from './run-support.ts';

// A Tuesday, 13:00 in Berlin: inside business hours for the default customers.
const asOf = new Date('2026-03-10T12:00:00Z');

/**
 * A provider with a quota that answers slowly, as SES does from a Lambda (tens of milliseconds): it
 * records when each message arrived and how many were out at once. No emulator is needed for what
 * this tests, the pool's width and the rate it sends at.
 */
const slowProvider = (sendsPerSecond: number, answerMs: number) => {
  const arrivedAt: number[] = [];
  const recipients: string[] = [];
  let out = 0;
  let mostOut = 0;
  const mailer: Mailer = {
    sendRate: async () => sendsPerSecond,
    send: async (email: OutgoingEmail) => {
      arrivedAt.push(performance.now());
      recipients.push(email.to);
      out += 1;
      mostOut = Math.max(mostOut, out);
      await new Promise((resolve) => setTimeout(resolve, answerMs));
      out -= 1;
      return { messageId: `m-${recipients.length}` };
    },
  };
  return { mailer, arrivedAt, recipients, mostOut: () => mostOut };
};

const ids = Array.from({ length: 50 }, (_, index) => `p${String(index).padStart(2, '0')}`);

describe('The run sizes its pool from the send quota', () => {
  let store: TestStore;
  beforeEach(async () => {
    store = await startTestStore();
    await seed(
      store,
      ids.map((id) => customer(id)),
      ids.map((id) => invoice(`i-${id}`, id)),
    );
  });
  afterEach(() => store.stop());

  it('keeps more customers in flight than the least when the quota asks for them, never above the quota', async () => {
    const quota = 100;
    // A slow provider makes the send most of a customer's time, whatever the emulator's own speed.
    const provider = slowProvider(quota, 1000);
    const { run, close } = buildRun(store, { endpoint: { kind: 'aws' } }, { mailer: provider.mailer });

    const outcome = await run.run({ asOf });
    close();

    expect(outcome.summary).toMatchObject({ considered: 50, sent: 50, emails: 50 });
    expect([...provider.recipients].sort()).toEqual(ids.map((id) => `${id}@customer.example`));
    // 100 a second at a second a send: the pool grows to its most, and many sends are out at once.
    expect(provider.mostOut()).toBeGreaterThan(2 * MIN_CUSTOMERS_IN_FLIGHT);
    // Never above the quota: in any second, at most 100 sends and the tenth of a second of burst.
    provider.arrivedAt.forEach((at, index) => {
      const first = provider.arrivedAt.findIndex((earlier) => earlier > at - 1000);
      expect(index - first + 1).toBeLessThanOrEqual(quota + quota / 10);
    });
  });

  it('drains the customers in flight before it checkpoints, so each is reminded once across parts', async () => {
    const provider = slowProvider(200, 100);
    const { run, close } = buildRun(
      store,
      { endpoint: { kind: 'aws' } },
      { mailer: provider.mailer, continueLater: async () => {} },
    );
    // Each invocation may start 20 customers before its time is up.
    const budget = () => {
      let started = 0;
      return () => (started++ < 20 ? 1 : 0);
    };

    let outcome = await run.run({ asOf, timeLeft: budget() });
    const firstPart = outcome.part.sent;
    let parts = 1;
    while (!outcome.done) {
      outcome = await run.resume(outcome.runId, budget());
      parts += 1;
    }
    close();

    expect(firstPart).toBe(20);
    expect(parts).toBe(3);
    expect(outcome.summary).toMatchObject({ considered: 50, sent: 50, emails: 50 });
    expect(provider.recipients).toHaveLength(50);
    expect(new Set(provider.recipients).size).toBe(50);
  });
});
