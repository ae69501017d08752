import { describe, expect, it } from 'vitest';
import { AWS_TIMEOUTS, LOCAL_TIMEOUTS } from '../../functions/shared/adapters/endpoints.ts';
import { taskWindow } from '../../functions/shared/concurrency.ts';
import type { Customer } from '../../functions/shared/domain/model.ts';
import type { OutgoingEmail } from '../../functions/shared/domain/ports.ts';
import { CUSTOMER_BLOCK, CustomerBlocks } from '../../functions/shared/domain/run/customer-blocks.ts';
import {
  CustomerPace,
  customersInFlight,
  MAX_CUSTOMERS_IN_FLIGHT,
  MIN_CUSTOMERS_IN_FLIGHT,
} from '../../functions/shared/domain/run/pace.ts';
import { SendQuota } from '../../functions/shared/domain/run/send-quota.ts';

describe('customers in flight: the quota times the time per customer, bounded', () => {
  it('keeps rate x seconds per customer x 2 in flight', () => {
    // 100/s at 200 ms a customer: 20 by Little's law, 40 with the headroom.
    expect(customersInFlight(100, 0.2)).toBe(40);
    // 500/s at 90 ms: 45, then 90.
    expect(customersInFlight(500, 0.09)).toBe(90);
    // 14/s at 300 ms: 4.2, then 8.4 rounded up.
    expect(customersInFlight(14, 0.3)).toBe(9);
  });

  it('never works fewer than the least, nor more than the most', () => {
    expect(MIN_CUSTOMERS_IN_FLIGHT).toBe(4);
    expect(MAX_CUSTOMERS_IN_FLIGHT).toBe(128);
    expect(customersInFlight(14, 0.1)).toBe(MIN_CUSTOMERS_IN_FLIGHT);
    expect(customersInFlight(1, 0)).toBe(MIN_CUSTOMERS_IN_FLIGHT);
    expect(customersInFlight(500, 2)).toBe(MAX_CUSTOMERS_IN_FLIGHT);
    expect(customersInFlight(Number.POSITIVE_INFINITY, 0.1)).toBe(MAX_CUSTOMERS_IN_FLIGHT);
    expect(customersInFlight(Number.NaN, 0.1)).toBe(MIN_CUSTOMERS_IN_FLIGHT);
  });

  it('has a socket for every customer in flight in every SDK client', () => {
    for (const options of [AWS_TIMEOUTS, LOCAL_TIMEOUTS]) {
      expect(options.httpAgent.maxSockets).toBeGreaterThan(MAX_CUSTOMERS_IN_FLIGHT);
      expect(options.httpsAgent.maxSockets).toBeGreaterThan(MAX_CUSTOMERS_IN_FLIGHT);
    }
  });
});

describe('the pace a run measures', () => {
  it('works the least until a customer has been timed, or when the quota is unknown', () => {
    const timed = new CustomerPace(500);
    const unknown = new CustomerPace(undefined);
    expect(timed.inFlight()).toBe(MIN_CUSTOMERS_IN_FLIGHT);

    unknown.observe(1);
    timed.observe(0.1);

    expect(unknown.inFlight()).toBe(MIN_CUSTOMERS_IN_FLIGHT);
    expect(timed.secondsPerCustomer).toBeCloseTo(0.1);
    expect(timed.inFlight()).toBe(100);
  });

  it('follows the service as it slows down, weighting the newest customers most', () => {
    const pace = new CustomerPace(100);
    pace.observe(0.1);
    const after: number[] = [];
    for (let customer = 0; customer < 30; customer += 1) {
      pace.observe(0.3);
      after.push(pace.secondsPerCustomer as number);
    }

    // One slow customer moves it a fifth of the way; thirty bring it to the new time.
    expect(after[0]).toBeCloseTo(0.14);
    expect(after.at(-1)).toBeCloseTo(0.3, 2);
    expect(pace.inFlight()).toBe(customersInFlight(100, after.at(-1) as number));
  });

  it('leaves out the time a customer waited for the quota, so a full pool does not grow itself', () => {
    const pace = new CustomerPace(14);
    // At the quota, a pool of 20 waits about 1.4 s a customer for its send; the work is 0.2 s.
    for (let customer = 0; customer < 50; customer += 1) pace.observe(1.6, 1.4);

    expect(pace.secondsPerCustomer).toBeCloseTo(0.2);
    expect(pace.inFlight()).toBe(6);
  });
});

const email: OutgoingEmail = { to: 'ap@customer.example', subject: 's', html: '<p>x</p>', text: 'x' };

describe('the send quota', () => {
  it('never sends faster than the quota, past a tenth of a second of burst', async () => {
    const rate = 200;
    const quota = new SendQuota(rate);
    const sentAt: number[] = [];
    const mailer = { send: async () => ({ messageId: String(sentAt.push(performance.now())) }) };
    const wait = { ms: 0 };
    const paced = quota.paced(mailer, wait);
    const started = performance.now();

    await Promise.all(Array.from({ length: 60 }, () => paced.send(email)));

    const burst = rate / 10;
    expect(sentAt).toHaveLength(60);
    sentAt.forEach((at, index) => {
      // The bucket starts empty and fills at 200 a second, 20 at most held: send n leaves no earlier
      // than n / 200 s in (timers are never early; 1 ms of rounding allowed).
      expect(at - started).toBeGreaterThanOrEqual(((index + 1) / rate) * 1000 - 1);
      const windowStart = sentAt.findIndex((earlier) => earlier > at - 1000);
      expect(index - windowStart + 1).toBeLessThanOrEqual(rate + burst);
    });
    // 60 callers waiting together: their waits add up to well over the 0.3 s the last one waited.
    expect(wait.ms).toBeGreaterThan(300);
  });

  it('hands every message to the mailer, as it is', async () => {
    const got: OutgoingEmail[] = [];
    const mailer = {
      send: async (message: OutgoingEmail) => {
        got.push(message);
        return { messageId: 'm-1' };
      },
    };

    const result = await new SendQuota(1000).paced(mailer, { ms: 0 }).send(email);

    expect(result).toEqual({ messageId: 'm-1' });
    expect(got).toEqual([email]);
  });
});

describe('customer blocks', () => {
  const customerOf = (customerId: string) => ({ customerId }) as Customer;
  const ids = Array.from({ length: 250 }, (_, index) => `C${String(index).padStart(3, '0')}`);

  it('reads the customers a block at a time, the next block ahead', async () => {
    const reads: string[][] = [];
    const blocks = new CustomerBlocks(
      {
        readCustomers: async (customerIds) => {
          reads.push([...customerIds]);
          return new Map(customerIds.filter((id) => id !== 'C007').map((id) => [id, customerOf(id)]));
        },
      },
      ids,
    );

    expect(await blocks.at(0)).toEqual(customerOf('C000'));
    expect(await blocks.at(99)).toEqual(customerOf('C099'));
    expect(reads.map((read) => [read[0], read.length])).toEqual([
      ['C000', CUSTOMER_BLOCK],
      ['C100', CUSTOMER_BLOCK],
    ]);
    expect(await blocks.at(7)).toBeUndefined();
    expect(await blocks.at(249)).toEqual(customerOf('C249'));
    expect(reads.map((read) => [read[0], read.length])).toEqual([
      ['C000', CUSTOMER_BLOCK],
      ['C100', CUSTOMER_BLOCK],
      ['C200', 50],
    ]);
  });

  it('reports a read ahead that failed when its block is reached', async () => {
    const blocks = new CustomerBlocks(
      {
        readCustomers: async (customerIds) => {
          if (customerIds[0] === 'C100') throw new Error('store unavailable');
          return new Map(customerIds.map((id) => [id, customerOf(id)]));
        },
      },
      ids,
    );

    expect(await blocks.at(0)).toEqual(customerOf('C000'));
    await expect(blocks.at(100)).rejects.toThrow('store unavailable');
  });
});

describe('a task window whose width changes', () => {
  it('lets as many tasks run at once as its width says when each starts', async () => {
    let width = 2;
    let running = 0;
    const seen: number[] = [];
    const window = taskWindow(() => width);
    const task = async () => {
      running += 1;
      seen.push(running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running -= 1;
    };

    for (let index = 0; index < 6; index += 1) await window.add(task);
    width = 5;
    for (let index = 0; index < 10; index += 1) await window.add(task);
    await window.drain();

    expect(Math.max(...seen.slice(0, 6))).toBe(2);
    expect(Math.max(...seen.slice(6))).toBe(5);
  });
});
