import { MAX_CUSTOMERS_IN_FLIGHT } from '../../functions/shared/domain/run/pace.ts';
import { costPer100kReminders, PRICES_CHECKED } from '../cost.ts';
import { figure, note, printFigure } from '../figures.ts';
import { DUE_SHARE } from '../portfolio.ts';
import { measureFloor, measureRun, type RunMeasure, type SampleEmail } from '../run-figures.ts';
import type { BenchServices } from '../services.ts';

/** Memory of the run function in infra/constructs/dunning-run.ts: what its Lambda seconds cost. */
const RUN_LAMBDA_MEMORY_MB = 1024;
/** Usable seconds of one run invocation (5-minute timeout less the checkpoint reserve). */
const RUN_INVOCATION_SECONDS = 240;
const FLOOR_REMINDERS = 2000;
/**
 * Customers the run keeps in flight here: the bench's SES account reports a rate no run reaches, so
 * the pool's rule (rate x time per customer) gives its most. The floor keeps as many in flight.
 */
const RUN_IN_FLIGHT = MAX_CUSTOMERS_IN_FLIGHT;

export const PORTFOLIOS = {
  '10k': { invoices: 10_000, prefix: 'B10K', tableName: 'bench-10k' },
  '100k': { invoices: 100_000, prefix: 'B100K', tableName: 'bench-100k' },
} as const;

const perReminder = (measure: RunMeasure) => ({
  read: measure.store.read / measure.summary.sent,
  written: measure.store.written / measure.summary.sent,
});

/** The first message the run sent, as the floor sends it again (same size). */
const sampleEmail = async (services: BenchServices): Promise<SampleEmail> => {
  const sample = (
    (await (await fetch(`${services.mail.url}/store`)).json()) as {
      emails: { from: string; subject: string; body: { html?: string; text?: string } }[];
    }
  ).emails[0];
  return {
    from: sample?.from ?? services.config.DUNNING_FROM,
    subject: sample?.subject ?? 'Reminder',
    html: sample?.body.html ?? '',
    text: sample?.body.text ?? '',
  };
};

const runOver = async (services: BenchServices, label: keyof typeof PORTFOLIOS): Promise<RunMeasure> => {
  note(`run over the ${label} portfolio`);
  // The emulator's store is swept while a long run sends; what the run sends is not read back.
  const sweeper = label === '100k' ? setInterval(() => void services.clearMail(), 5000) : undefined;
  try {
    return await measureRun({
      config: services.config,
      tableName: PORTFOLIOS[label].tableName,
      documentClient: services.documentClient,
      metering: services.metering,
      sesEndpoint: services.sesEndpoint,
      asOf: services.asOf,
    });
  } finally {
    clearInterval(sweeper);
  }
};

const printReads = (label: string, measure: RunMeasure) =>
  printFigure(
    figure(
      `run.items_read_per_reminder.${label}`,
      perReminder(measure).read,
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

export const importPortfolio = async (services: BenchServices, label: keyof typeof PORTFOLIOS) => {
  const { invoices, prefix, tableName } = PORTFOLIOS[label];
  note(`importing ${invoices} invoices (one in ${DUE_SHARE} due as of ${services.asOf.toISOString()})`);
  return services.importPortfolio(tableName, { invoices, prefix });
};

/**
 * Items read and written per reminder at 10k and 100k, the 100k run's rate against the raw floor
 * measured between the two runs, the 100k import's rate and memory, and what 100k reminders cost.
 */
export const benchRuns = async (services: BenchServices): Promise<void> => {
  await importPortfolio(services, '10k');
  const small = await runOver(services, '10k');
  printReads('10k', small);
  const email = await sampleEmail(services);
  await services.clearMail();

  const imported = await importPortfolio(services, '100k');
  printFigure(figure('import.rows_per_s.100k', imported.rows / (imported.ms / 1000), 'rows/s'));
  printFigure(figure('import.peak_rss_mb.100k', imported.peakRssMb, 'MB', { max: 300 }));

  note(`floor: ${FLOOR_REMINDERS} claim + SES send + record, directly with the SDK`);
  const floor = await measureFloor({
    documentClient: services.documentClient,
    tableName: PORTFOLIOS['100k'].tableName,
    sesEndpoint: services.sesEndpoint,
    email,
    reminders: FLOOR_REMINDERS,
    inFlight: RUN_IN_FLIGHT,
  });
  await services.clearMail();
  const large = await runOver(services, '100k');
  printReads('100k', large);
  await services.clearMail();

  printFigure(
    figure(
      'run.items_read_per_reminder.100k_over_10k',
      perReminder(large).read / perReminder(small).read,
      'ratio',
      { max: 1.1 },
    ),
  );
  const written = (large.store.written + small.store.written) / (large.summary.sent + small.summary.sent);
  printFigure(
    figure(
      'run.items_written_per_reminder',
      written,
      'items',
      { max: 4 },
      { failedConditions: large.store.failedConditions + small.store.failedConditions },
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
  printFigure(
    figure('floor.sesv2_send_per_s', floor.perSecond, 'reminders/s', undefined, {
      reminders: FLOOR_REMINDERS,
      inFlight: RUN_IN_FLIGHT,
    }),
  );
  printFigure(
    figure('run.reminders_per_s_over_floor', remindersPerSecond / floor.perSecond, 'ratio', { min: 0.7 }),
  );

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
};
