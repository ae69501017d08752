import { startEmulatorProcess } from '../child.ts';
import { figure, note, printFigure } from '../figures.ts';
import { measureSendRate } from '../send-rate.ts';
import { type BenchServices, sesAccountWithRate } from '../services.ts';

/** The production default (14/s) and two raised quotas. */
const QUOTAS = [14, 100, 500] as const;
/** Seconds of sending at the quota each run is sized for: long enough for the tail to average out. */
const SECONDS_AT_QUOTA = 10;

/**
 * Sends per second over the SES quota, with AWS-like latencies injected into the store and mail
 * clients: one run per quota over a portfolio of customers with one invoice due each, against an
 * SES emulator reporting that quota.
 */
export const benchSendRate = async (services: BenchServices): Promise<void> => {
  for (const [index, quota] of QUOTAS.entries()) {
    const customers = quota * SECONDS_AT_QUOTA;
    const tableName = `bench-q${quota}`;
    note(`send rate: ${customers} customers due, SES quota ${quota}/s, AWS-like latencies`);
    await services.importPortfolio(tableName, {
      invoices: customers,
      prefix: `Q${quota}`,
      dueShare: 1,
      invoicesPerCustomer: 1,
    });
    const mail = await startEmulatorProcess('ses', {
      ...process.env,
      AWS_SES_ACCOUNT: sesAccountWithRate(quota),
    });
    try {
      const measure = await measureSendRate({
        config: services.config,
        storePort: services.store.port,
        sesPort: mail.port,
        tableName,
        quota,
        asOf: services.asOf,
        seed: 1000 + index,
      });
      printFigure(
        figure(
          `run.send_rate_utilization.q${quota}`,
          measure.perSecond / quota,
          'ratio',
          { min: 0.9 },
          {
            quota,
            sendsPerSecond: Math.round(measure.perSecond * 10) / 10,
            sent: measure.summary.sent,
            failed: measure.summary.failed,
            sendingSeconds: Math.round(measure.seconds * 10) / 10,
            wallSeconds: Math.round(measure.wallSeconds * 10) / 10,
          },
        ),
      );
    } finally {
      await mail.stop();
    }
  }
};
