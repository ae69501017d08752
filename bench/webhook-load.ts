import { Agent, request } from 'node:http';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import Stripe from 'stripe';
import { RunReads } from '../functions/shared/adapters/dynamodb/run-reads.ts';
import { seededRandom } from './latency.ts';

export interface WebhookMeasure {
  readonly deliveries: number;
  readonly uniqueEvents: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly non2xx: number;
  readonly lost: number;
  readonly doubleApplied: number;
}

interface Delivery {
  readonly eventId: string;
  readonly invoiceId: string;
  readonly body: string;
}

const AMOUNT = 100;

/** A deterministic shuffle, so every bench run posts the same sequence. */
const shuffled = <T>(items: T[], seed: number): T[] => {
  const random = seededRandom(seed);
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
};

const percentile = (sorted: number[], share: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)] ?? Number.NaN;

const paymentIntentEvent = (eventId: string, invoice: { invoiceId: string; currency: string }) =>
  JSON.stringify({
    id: eventId,
    object: 'event',
    api_version: '2025-01-27.acacia',
    created: Math.floor(Date.now() / 1000),
    type: 'payment_intent.succeeded',
    livemode: false,
    data: {
      object: {
        id: `pi_${eventId}`,
        object: 'payment_intent',
        amount_received: AMOUNT,
        currency: invoice.currency.toLowerCase(),
        metadata: { invoice_id: invoice.invoiceId },
      },
    },
  });

/** Posts signed bodies to the Stripe route over keep-alive HTTP; resolves with the status code. */
const stripePoster = (url: string, secret: string, inFlight: number) => {
  const agent = new Agent({ keepAlive: true, maxSockets: inFlight });
  const target = new URL('/webhooks/stripe', url);
  const post = (body: string): Promise<number> =>
    new Promise((resolve, reject) => {
      const signature = Stripe.webhooks.generateTestHeaderString({ payload: body, secret });
      const call = request(
        target,
        {
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            'stripe-signature': signature,
          },
        },
        (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode ?? 0));
        },
      );
      call.on('error', reject);
      call.end(body);
    });
  return { post, close: () => agent.destroy() };
};

/** The store meter of the server's process: reset before an event, read after it. */
export interface ServerMeter {
  reset(): Promise<void>;
  roundTrips(): Promise<number>;
}

export interface RoundTripMeasure {
  /** The most sequential store round trips any one event took. */
  readonly max: number;
  readonly mean: number;
  /** The most per outcome: a first delivery applies the payment, a repeat finds it applied. */
  readonly maxFirst: number;
  readonly maxRepeat: number;
  readonly events: number;
}

/**
 * Store round trips on the request path of one payment event: events posted one at a time, the
 * store meter read between them, so every call it counts belongs to the event being served. Each
 * invoice gets a first payment, then one in two a repeat of it (Stripe's retry) and a second one.
 */
export const measureStoreRoundTrips = async (options: {
  readonly url: string;
  readonly stripeSecret: string;
  readonly meter: ServerMeter;
  readonly invoices: readonly { invoiceId: string; currency: string }[];
}): Promise<RoundTripMeasure> => {
  const poster = stripePoster(options.url, options.stripeSecret, 1);
  const first: number[] = [];
  const repeat: number[] = [];
  const deliver = async (eventId: string, invoice: { invoiceId: string; currency: string }) => {
    await options.meter.reset();
    const status = await poster.post(paymentIntentEvent(eventId, invoice));
    if (status < 200 || status >= 300) throw new Error(`webhook answered ${status} to ${eventId}`);
    return options.meter.roundTrips();
  };
  try {
    for (const [number, invoice] of options.invoices.entries()) {
      const eventId = `evt_trips_${String(number).padStart(6, '0')}`;
      first.push(await deliver(eventId, invoice));
      if (number % 2 === 0) repeat.push(await deliver(eventId, invoice));
      first.push(await deliver(`${eventId}_b`, invoice));
    }
  } finally {
    poster.close();
  }
  const all = [...first, ...repeat];
  return {
    max: Math.max(...all),
    mean: all.reduce((sum, trips) => sum + trips, 0) / all.length,
    maxFirst: Math.max(...first),
    maxRepeat: Math.max(...repeat),
    events: all.length,
  };
};

/**
 * Signed Stripe `payment_intent.succeeded` events posted to the local webhook endpoint, `inFlight`
 * at a time, one in ten deliveries a repeat of an earlier event (as Stripe retries). Then every
 * invoice is read back: an event missing from it is lost, one counted twice is double-applied.
 */
export const measureWebhooks = async (options: {
  readonly url: string;
  readonly stripeSecret: string;
  readonly documentClient: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly invoices: readonly { invoiceId: string; currency: string }[];
  readonly uniqueEvents: number;
  readonly inFlight: number;
  /** Called once every delivery is answered, before the read-back (which is not the path measured). */
  readonly afterPosting?: () => Promise<void>;
}): Promise<WebhookMeasure> => {
  const unique: Delivery[] = Array.from({ length: options.uniqueEvents }, (_, number) => {
    const invoice = options.invoices[number % options.invoices.length] as {
      invoiceId: string;
      currency: string;
    };
    const eventId = `evt_bench_${String(number).padStart(6, '0')}`;
    return { eventId, invoiceId: invoice.invoiceId, body: paymentIntentEvent(eventId, invoice) };
  });
  // One delivery in ten repeats an event: uniqueEvents / 9 repeats make 10% of all deliveries.
  const repeats = shuffled(unique, 7).slice(0, Math.round(options.uniqueEvents / 9));
  const deliveries = shuffled([...unique, ...repeats], 11);

  const poster = stripePoster(options.url, options.stripeSecret, options.inFlight);
  const post = poster.post;

  const latencies: number[] = [];
  let non2xx = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: options.inFlight }, async () => {
      while (next < deliveries.length) {
        const delivery = deliveries[next++] as Delivery;
        const sent = performance.now();
        const status = await post(delivery.body);
        latencies.push(performance.now() - sent);
        if (status < 200 || status >= 300) non2xx += 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  poster.close();
  await options.afterPosting?.();

  const reads = new RunReads(options.documentClient, options.tableName);
  const invoices = await reads.readInvoices(options.invoices.map((invoice) => invoice.invoiceId));
  const byId = new Map(invoices.map((invoice) => [invoice.invoiceId, invoice]));
  let lost = 0;
  let doubleApplied = 0;
  const expectedPerInvoice = new Map<string, number>();
  for (const delivery of unique) {
    expectedPerInvoice.set(delivery.invoiceId, (expectedPerInvoice.get(delivery.invoiceId) ?? 0) + 1);
    const times =
      // The ledger namespaces event ids by provider.
      byId.get(delivery.invoiceId)?.appliedEventIds.filter((id) => id === `stripe:${delivery.eventId}`)
        .length ?? 0;
    if (times === 0) lost += 1;
    if (times > 1) doubleApplied += times - 1;
  }
  // The money agrees with the ids: each applied event adds AMOUNT to what the invoice received.
  for (const [invoiceId, expected] of expectedPerInvoice) {
    const received = (byId.get(invoiceId)?.amountReceived ?? 0) / AMOUNT;
    if (received > expected) doubleApplied += received - expected;
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    deliveries: deliveries.length,
    uniqueEvents: unique.length,
    perSecond: deliveries.length / seconds,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    non2xx,
    lost,
    doubleApplied,
  };
};
