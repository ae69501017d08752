import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writePortfolioCsv } from '../cli/demo/portfolio.ts';
import { createHttpApp } from '../cli/http/app.ts';
import { mailProbe, storeProbe } from '../cli/http/health.ts';
import { startHttpServer } from '../cli/http/server.ts';
import { localWebhookRoutes } from '../cli/http/webhook-routes.ts';
import { LOCAL_SES_ACCOUNT } from '../cli/local/ses-emulator.ts';
import { createDocumentClient, createDynamoClient } from '../functions/shared/adapters/dynamodb/client.ts';
import { ensureTables } from '../functions/shared/adapters/dynamodb/create-tables.ts';
import { localEndpoint } from '../functions/shared/adapters/endpoints.ts';
import { loadConfig, localConfigSchema } from '../functions/shared/config.ts';
import { localDate } from '../functions/shared/domain/calendar.ts';
import { ledgerTable } from '../functions/shared/tables.ts';
import { measureBundles } from './bundles.ts';
import { firstLine, spawnBenchScript, startEmulatorProcess } from './child.ts';
import { costPer100kReminders, PRICES_CHECKED } from './cost.ts';
import { figure, note, printFigure } from './figures.ts';
import { meterStore } from './metering.ts';
import { benchAsOf, benchInvoiceId, benchPortfolio, DUE_SHARE, profileOf } from './portfolio.ts';
import { measureFloor, measureRun, type RunMeasure, type SampleEmail } from './run-figures.ts';
import { measureWebhooks } from './webhook-load.ts';

/** Memory of the run function in infra/constructs/dunning-run.ts: what its Lambda seconds cost. */
const RUN_LAMBDA_MEMORY_MB = 1024;
/** Usable seconds of one run invocation (5-minute timeout less the checkpoint reserve). */
const RUN_INVOCATION_SECONDS = 240;
const FLOOR_REMINDERS = 2000;
const RUN_IN_FLIGHT = 4;
const WEBHOOK_EVENTS = 3000;
const WEBHOOK_INVOICES = 1000;

/** Imports a file in a child process (its own RSS), through the real import pipeline. */
const importInChild = async (file: string, port: number, tableName: string) => {
  const line = await firstLine(spawnBenchScript('./import-child.ts', [file, String(port), tableName]));
  return JSON.parse(line) as { rows: number; ms: number; peakRssMb: number };
};

const perReminder = (measure: RunMeasure) => ({
  read: measure.store.read / measure.summary.sent,
  written: measure.store.written / measure.summary.sent,
});

export const main = async (): Promise<void> => {
  const started = performance.now();

  note('building the Lambda bundles as CDK does, and timing their cold import');
  for (const bundle of await measureBundles()) {
    printFigure(
      figure(`bundle.${bundle.name}_kb`, bundle.bytes / 1024, 'KB', { max: 600 }, { bytes: bundle.bytes }),
    );
    printFigure(
      figure(
        `cold_import_ms.${bundle.name}`,
        bundle.coldImportMs,
        'ms',
        { max: 200 },
        {
          samples: bundle.samplesMs.map((ms) => Math.round(ms)),
        },
      ),
    );
  }

  // A production-like SES quota, but a send rate that never holds the bench back.
  const sesAccount = JSON.stringify({
    ...LOCAL_SES_ACCOUNT,
    SendQuota: { Max24HourSend: 10_000_000, MaxSendRate: 100_000, SentLast24Hours: 0 },
  });
  const store = await startEmulatorProcess('dynamodb');
  const mail = await startEmulatorProcess('ses', { ...process.env, AWS_SES_ACCOUNT: sesAccount });
  const folder = await mkdtemp(join(tmpdir(), 'dunning-bench-'));
  const dynamo = createDynamoClient(localEndpoint(store.port));
  const metering = meterStore(dynamo);
  const documentClient = createDocumentClient(dynamo);
  const sesEndpoint = localEndpoint(mail.port);
  const clearMail = async () => {
    await fetch(`${mail.url}/clear-store`, { method: 'POST' });
  };
  const stops: (() => Promise<void> | void)[] = [
    () => store.stop(),
    () => mail.stop(),
    () => documentClient.destroy(),
    () => rm(folder, { recursive: true, force: true }),
  ];
  try {
    const asOf = benchAsOf();
    const today = localDate(asOf, 'UTC');
    const config = loadConfig(localConfigSchema, {});
    const portfolios = [
      { label: '10k', invoices: 10_000, prefix: 'B10K', tableName: 'bench-10k' },
      { label: '100k', invoices: 100_000, prefix: 'B100K', tableName: 'bench-100k' },
    ] as const;
    await ensureTables(
      dynamo,
      portfolios.map(({ tableName }) => ({ definition: ledgerTable, tableName })),
    );

    const runs: Record<string, RunMeasure> = {};
    let email: SampleEmail | undefined;
    let floor: { perSecond: number } | undefined;
    for (const portfolio of portfolios) {
      const file = join(folder, `${portfolio.label}.csv`);
      await writePortfolioCsv(
        file,
        benchPortfolio({ today, invoices: portfolio.invoices, prefix: portfolio.prefix }),
      );
      note(`importing ${portfolio.invoices} invoices (one in ${DUE_SHARE} due as of ${asOf.toISOString()})`);
      const imported = await importInChild(file, store.port, portfolio.tableName);
      if (portfolio.label === '100k') {
        printFigure(figure('import.rows_per_s.100k', imported.rows / (imported.ms / 1000), 'rows/s'));
        printFigure(figure('import.peak_rss_mb.100k', imported.peakRssMb, 'MB', { max: 300 }));
      }

      if (email && !floor) {
        note(`floor: ${FLOOR_REMINDERS} claim + SES send + record, directly with the SDK`);
        floor = await measureFloor({
          documentClient,
          tableName: portfolio.tableName,
          sesEndpoint,
          email,
          reminders: FLOOR_REMINDERS,
          inFlight: RUN_IN_FLIGHT,
        });
        await clearMail();
      }

      note(`run over the ${portfolio.label} portfolio`);
      // aws-ses-v2-local keeps every mail in memory (~10 KB each); what the run sends is not read back.
      const sweeper = email ? setInterval(() => void clearMail(), 5000) : undefined;
      const measure = await measureRun({
        config,
        tableName: portfolio.tableName,
        documentClient,
        metering,
        sesEndpoint,
        asOf,
      });
      clearInterval(sweeper);
      runs[portfolio.label] = measure;
      const { read } = perReminder(measure);
      printFigure(
        figure(
          `run.items_read_per_reminder.${portfolio.label}`,
          read,
          'items',
          { max: 3 },
          {
            sent: measure.summary.sent,
            emails: measure.summary.emails,
            itemsRead: measure.store.read,
            byCommand: measure.store.byCommand,
          },
        ),
      );
      if (!email) {
        const sample = (
          (await (await fetch(`${mail.url}/store`)).json()) as {
            emails: { from: string; subject: string; body: { html?: string; text?: string } }[];
          }
        ).emails[0];
        email = {
          from: sample?.from ?? config.DUNNING_FROM,
          subject: sample?.subject ?? 'Reminder',
          html: sample?.body.html ?? '',
          text: sample?.body.text ?? '',
        };
      }
      await clearMail();
    }

    const small = runs['10k'] as RunMeasure;
    const large = runs['100k'] as RunMeasure;
    printFigure(
      figure(
        'run.items_read_per_reminder.100k_over_10k',
        perReminder(large).read / perReminder(small).read,
        'ratio',
        {
          max: 1.1,
        },
      ),
    );
    const written = (large.store.written + small.store.written) / (large.summary.sent + small.summary.sent);
    printFigure(
      figure(
        'run.items_written_per_reminder',
        written,
        'items',
        { max: 4 },
        {
          failedConditions: large.store.failedConditions + small.store.failedConditions,
        },
      ),
    );
    const remindersPerSecond = large.summary.sent / large.seconds;
    printFigure(
      figure('run.reminders_per_s', remindersPerSecond, 'reminders/s', undefined, {
        sent: large.summary.sent,
        seconds: Math.round(large.seconds * 10) / 10,
        inFlight: RUN_IN_FLIGHT,
      }),
    );
    const floorRate = floor?.perSecond ?? Number.NaN;
    printFigure(
      figure('floor.sesv2_send_per_s', floorRate, 'reminders/s', undefined, {
        reminders: FLOOR_REMINDERS,
        inFlight: RUN_IN_FLIGHT,
      }),
    );
    printFigure(
      figure('run.reminders_per_s_over_floor', remindersPerSecond / floorRate, 'ratio', { min: 0.7 }),
    );

    note(`webhooks: ${WEBHOOK_EVENTS} signed Stripe events and 10% repeats, 32 in flight`);
    const secrets = {
      stripe: `whsec_${randomBytes(24).toString('hex')}`,
      payments: `whsec_${randomBytes(32).toString('base64')}`,
    };
    const quiet = { info: () => undefined, warn: () => undefined };
    const webhookTable = portfolios[0].tableName;
    const server = await startHttpServer(
      createHttpApp({
        probes: { store: storeProbe(dynamo, webhookTable), mail: mailProbe(mail.url) },
        extraRoutes: localWebhookRoutes(
          { config: { DUNNING_TIME_ZONE: 'UTC' }, tableName: webhookTable, documentClient, secrets },
          quiet,
        ),
      }),
      0,
    );
    stops.unshift(() => server.stop());
    // Invoices not due in the 10k portfolio (untouched by its run), in their own currencies.
    const invoices = Array.from({ length: WEBHOOK_INVOICES }, (_, index) => {
      const number = index * DUE_SHARE + 1;
      return {
        invoiceId: benchInvoiceId(portfolios[0].prefix, number),
        currency: profileOf(Math.floor(number / 4)).currency,
      };
    });
    const webhooks = await measureWebhooks({
      url: server.url,
      stripeSecret: secrets.stripe,
      documentClient,
      tableName: webhookTable,
      invoices,
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

    const cost = costPer100kReminders({
      itemsReadPerReminder: perReminder(large).read,
      itemsWrittenPerReminder: written,
      emailsPerReminder: large.summary.emails / large.summary.sent,
      lambdaSecondsPerReminder: large.seconds / large.summary.sent,
      lambdaMemoryMb: RUN_LAMBDA_MEMORY_MB,
      invocationsPerReminder: Math.ceil(large.seconds / RUN_INVOCATION_SECONDS) / large.summary.sent,
    });
    printFigure(
      figure('cost.usd_per_100k_reminders', cost.total, 'USD', undefined, {
        parts: cost.parts,
        pricesChecked: PRICES_CHECKED,
        region: 'us-east-1',
      }),
    );
    note(`done in ${Math.round((performance.now() - started) / 1000)} s`);
  } finally {
    for (const stop of stops) await stop();
  }
};
