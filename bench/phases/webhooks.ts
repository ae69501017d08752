import { randomBytes } from 'node:crypto';
import { askChild, firstLine, spawnBenchScript } from '../child.ts';
import { figure, note, printFigure } from '../figures.ts';
import { benchInvoiceId, DUE_SHARE, profileOf } from '../portfolio.ts';
import type { BenchServices } from '../services.ts';
import { measureStoreRoundTrips, measureWebhooks } from '../webhook-load.ts';
import { PORTFOLIOS } from './runs.ts';

const WEBHOOK_EVENTS = 3000;
const WEBHOOK_INVOICES = 1000;
const ROUND_TRIP_INVOICES = 50;

/** Invoices of the 10k portfolio that no run touches (not due), in their own currencies. */
const notDueInvoices = (count: number, offset: number) =>
  Array.from({ length: count }, (_, index) => {
    const number = index * DUE_SHARE + offset;
    return {
      invoiceId: benchInvoiceId(PORTFOLIOS['10k'].prefix, number),
      currency: profileOf(Math.floor(number / 4)).currency,
    };
  });

/** CPU milliseconds per delivery a process spent between two readings. */
const cpuMsPer = (before: NodeJS.CpuUsage, after: NodeJS.CpuUsage, deliveries: number) =>
  Math.round((after.user - before.user + after.system - before.system) / 10 / deliveries) / 100;

/** The webhook server (bench/webhook-server.ts) in its own process, on the bench's store. */
const startWebhookServer = async (
  services: BenchServices,
  tableName: string,
  secrets: { stripe: string; payments: string },
) => {
  const child = spawnBenchScript(
    './webhook-server.ts',
    [String(services.store.port), String(services.mail.port), tableName],
    { ...process.env, BENCH_STRIPE_SECRET: secrets.stripe, BENCH_PAYMENTS_SECRET: secrets.payments },
  );
  const url = await firstLine(child);
  return {
    url,
    meter: {
      reset: () => askChild<void>(child, 'resetMeter'),
      roundTrips: () => askChild<number>(child, 'roundTrips'),
    },
    cpuUsage: () => askChild<NodeJS.CpuUsage>(child, 'cpu'),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.disconnect();
      }),
  };
};

/**
 * The local webhook server as `dunning dev` serves it, in a process of its own, on the 10k table:
 * store round trips per event (one request at a time), then signed Stripe events with 32 in flight,
 * read back for lost and double-applied events, with the CPU each process spent per delivery.
 */
export const benchWebhooks = async (services: BenchServices): Promise<void> => {
  const secrets = {
    stripe: `whsec_${randomBytes(24).toString('hex')}`,
    payments: `whsec_${randomBytes(32).toString('base64')}`,
  };
  const tableName = PORTFOLIOS['10k'].tableName;
  const { documentClient } = services;
  const server = await startWebhookServer(services, tableName, secrets);
  try {
    note(`webhooks: store round trips of ${ROUND_TRIP_INVOICES * 2.5} events, one at a time`);
    const trips = await measureStoreRoundTrips({
      url: server.url,
      stripeSecret: secrets.stripe,
      meter: server.meter,
      invoices: notDueInvoices(ROUND_TRIP_INVOICES, 2),
    });
    printFigure(
      figure(
        'webhook.store_round_trips_per_event',
        trips.max,
        'round trips',
        { max: 3 },
        {
          mean: Math.round(trips.mean * 100) / 100,
          maxFirstDelivery: trips.maxFirst,
          maxRepeat: trips.maxRepeat,
          events: trips.events,
        },
      ),
    );

    note(`webhooks: ${WEBHOOK_EVENTS} signed Stripe events and 10% repeats, 32 in flight`);
    const readCpu = async () => ({
      client: process.cpuUsage(),
      server: await server.cpuUsage(),
      store: await services.store.cpuUsage(),
    });
    const cpuBefore = await readCpu();
    let cpuAfter = cpuBefore;
    const webhooks = await measureWebhooks({
      url: server.url,
      stripeSecret: secrets.stripe,
      documentClient,
      tableName,
      invoices: notDueInvoices(WEBHOOK_INVOICES, 1),
      uniqueEvents: WEBHOOK_EVENTS,
      inFlight: 32,
      afterPosting: async () => {
        cpuAfter = await readCpu();
      },
    });
    const cpuMsPerDelivery = {
      client: cpuMsPer(cpuBefore.client, cpuAfter.client, webhooks.deliveries),
      server: cpuMsPer(cpuBefore.server, cpuAfter.server, webhooks.deliveries),
      store: cpuMsPer(cpuBefore.store, cpuAfter.store, webhooks.deliveries),
    };
    printFigure(
      figure('webhook.events_per_s', webhooks.perSecond, 'events/s', undefined, {
        deliveries: webhooks.deliveries,
        uniqueEvents: webhooks.uniqueEvents,
        non2xx: webhooks.non2xx,
        cpuMsPerDelivery,
      }),
    );
    printFigure(
      figure(
        'webhook.p99_ms',
        webhooks.p99Ms,
        'ms',
        { max: 50 },
        { p50Ms: Math.round(webhooks.p50Ms * 10) / 10 },
      ),
    );
    printFigure(figure('webhook.lost', webhooks.lost, 'events', { max: 0 }));
    printFigure(figure('webhook.double_applied', webhooks.doubleApplied, 'events', { max: 0 }));
  } finally {
    await server.stop();
  }
};
