import { randomBytes } from 'node:crypto';
import { createHttpApp } from '../../cli/http/app.ts';
import { mailProbe, storeProbe } from '../../cli/http/health.ts';
import { startHttpServer } from '../../cli/http/server.ts';
import { localWebhookRoutes } from '../../cli/http/webhook-routes.ts';
import { composeLocal } from '../../functions/shared/composition/local.ts';
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

/**
 * The local webhook server as `dunning dev` serves it, on the 10k table: store round trips per event
 * (one request at a time), then signed Stripe events with 32 in flight, read back for lost and
 * double-applied events.
 */
export const benchWebhooks = async (services: BenchServices): Promise<void> => {
  const secrets = {
    stripe: `whsec_${randomBytes(24).toString('hex')}`,
    payments: `whsec_${randomBytes(32).toString('base64')}`,
  };
  const quiet = { info: () => undefined, warn: () => undefined };
  const tableName = PORTFOLIOS['10k'].tableName;
  const { documentClient, dynamo, mail } = services;
  const server = await startHttpServer(
    createHttpApp({
      probes: { store: storeProbe(dynamo, tableName), mail: mailProbe(mail.url) },
      extraRoutes: localWebhookRoutes(
        composeLocal(services.config, tableName, { dynamo: documentClient, ses: services.sesEndpoint }),
        secrets,
        quiet,
      ),
    }),
    0,
  );
  try {
    note(`webhooks: store round trips of ${ROUND_TRIP_INVOICES * 2.5} events, one at a time`);
    const trips = await measureStoreRoundTrips({
      url: server.url,
      stripeSecret: secrets.stripe,
      metering: services.metering,
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
    const webhooks = await measureWebhooks({
      url: server.url,
      stripeSecret: secrets.stripe,
      documentClient,
      tableName,
      invoices: notDueInvoices(WEBHOOK_INVOICES, 1),
      uniqueEvents: WEBHOOK_EVENTS,
      inFlight: 32,
    });
    printFigure(
      figure('webhook.events_per_s', webhooks.perSecond, 'events/s', undefined, {
        deliveries: webhooks.deliveries,
        uniqueEvents: webhooks.uniqueEvents,
        non2xx: webhooks.non2xx,
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
