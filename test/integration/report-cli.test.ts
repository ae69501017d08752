import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCliContext } from '../../cli/context.ts';
import { type PortfolioRow, portfolioRows, writePortfolioCsv } from '../../cli/demo/portfolio.ts';
import { DynamoReportReads } from '../../functions/shared/adapters/dynamodb/report-reads.ts';
import { readInvoiceAudit } from '../../functions/shared/adapters/dynamodb/run-audit.ts';
import { importDepsOf, importFile } from '../../functions/shared/composition/import.ts';
import { collectReport } from '../../functions/shared/domain/report/collect.ts';
import { reportMoment } from '../../functions/shared/domain/report/period.ts';
import { showDocument } from '../../functions/shared/domain/run/audit.ts';
import { startTestMailbox, startTestStore, type TestMailbox, type TestStore } from '../support/emulators.ts';
import { buildRun, SES_ACCOUNT } from './run-support.ts';

const execute = promisify(execFile);

// A Monday. At 12:00 UTC it is 01:00 on Tuesday 3 March in Auckland (NZDT) and 02:00 on Monday in Honolulu.
const AS_OF = '2026-03-02';

const ZONES = {
  auckland: ['Pacific/Auckland', 'USD'],
  honolulu: ['Pacific/Honolulu', 'USD'],
  berlin: ['Europe/Berlin', 'EUR'],
  tokyo: ['Asia/Tokyo', 'JPY'],
  kuwait: ['Asia/Kuwait', 'KWD'],
} as const;

const row = (
  invoiceId: string,
  where: keyof typeof ZONES,
  dueDate: string,
  amountDue: string,
  amountPaid = '',
): PortfolioRow => {
  const [zone, currency] = ZONES[where];
  return {
    invoice_id: invoiceId,
    customer_id: `K-${where}`,
    customer_name: `Known ${where}`,
    customer_email: `${where}@known.example`,
    currency,
    amount_due: amountDue,
    amount_paid: amountPaid,
    due_date: dueDate,
    customer_timezone: zone,
  };
};

/** A portfolio whose aging as of AS_OF is worked out by hand in each customer's calendar. */
const KNOWN: readonly PortfolioRow[] = [
  row('K-A1', 'auckland', '2026-03-03', '100.00'), // 0 days: current
  row('K-H1', 'honolulu', '2026-03-03', '200.00'), // due tomorrow: current
  row('K-A2', 'auckland', '2026-03-02', '300.00'), // 1 day: 1-30
  row('K-H2', 'honolulu', '2026-03-02', '400.00'), // due today: current
  row('K-A3', 'auckland', '2026-01-31', '500.00'), // 31 days: 31-60
  row('K-H3', 'honolulu', '2026-01-31', '600.00'), // 30 days: 1-30
  row('K-H4', 'honolulu', '2025-12-02', '700.00'), // 90 days: 61-90
  row('K-A4', 'auckland', '2025-12-02', '800.00'), // 91 days: 90+
  row('K-H5', 'honolulu', '2026-02-20', '1000.00', '250.00'), // 10 days, 750.00 left: 1-30
  row('K-H6', 'honolulu', '2025-06-01', '99.00', '99.00'), // paid before import: not open
  row('K-B1', 'berlin', '2026-03-02', '50.00'), // current
  row('K-B2', 'berlin', '2026-01-01', '10.00'), // 60 days: 31-60
  row('K-B3', 'berlin', '2025-11-01', '1234.56'), // 121 days: 90+
  row('K-T1', 'tokyo', '2026-01-01', '12345'), // 60 days: 31-60
  row('K-T2', 'tokyo', '2026-03-03', '1000'), // current
  row('K-W1', 'kuwait', '2026-02-01', '1.234'), // 29 days: 1-30
];

const KNOWN_AGING = [
  {
    currency: 'EUR',
    current: 50_00,
    d1_30: 0,
    d31_60: 10_00,
    d61_90: 0,
    d90plus: 1_234_56,
    outstanding: 1_294_56,
    remindersSent: 0,
    recovered: 0,
  },
  {
    currency: 'JPY',
    current: 1_000,
    d1_30: 0,
    d31_60: 12_345,
    d61_90: 0,
    d90plus: 0,
    outstanding: 13_345,
    remindersSent: 0,
    recovered: 0,
  },
  {
    currency: 'KWD',
    current: 0,
    d1_30: 1_234,
    d31_60: 0,
    d61_90: 0,
    d90plus: 0,
    outstanding: 1_234,
    remindersSent: 0,
    recovered: 0,
  },
  {
    currency: 'USD',
    current: 700_00,
    d1_30: 1_650_00,
    d31_60: 500_00,
    d61_90: 700_00,
    d90plus: 800_00,
    outstanding: 4_350_00,
    remindersSent: 0,
    recovered: 0,
  },
];

describe('dunning report', () => {
  let store: TestStore;
  let folder: string;
  const env = () => ({
    DUNNING_DYNAMODB_PORT: String(store.port),
    DUNNING_TABLE_NAME: store.tableName,
    DUNNING_TIME_ZONE: 'UTC',
    DUNNING_TARGET: 'local',
  });
  const importRows = async (name: string, rows: Iterable<PortfolioRow>) => {
    const file = join(folder, name);
    await writePortfolioCsv(file, rows);
    const context = await createCliContext({}, env());
    try {
      await importFile(importDepsOf(context), file);
    } finally {
      context.close();
    }
  };
  const dunning = (...args: string[]) =>
    execute(process.execPath, ['cli/dunning.mjs', 'report', ...args], {
      env: { ...process.env, ...env() },
    }).catch((error: { code: number; stdout: string; stderr: string }) => error);

  beforeAll(async () => {
    [store, folder] = await Promise.all([startTestStore(), mkdtemp(join(tmpdir(), 'dunning-report-'))]);
    await importRows('known.csv', KNOWN);
  });
  afterAll(async () => {
    await Promise.all([store.stop(), rm(folder, { recursive: true, force: true })]);
  });

  it("gives exactly the aging worked out by hand per currency, in each customer's zone, and writes the page", async () => {
    // Prepare
    const page = join(folder, 'aging.html');

    // Act
    const { stdout } = (await dunning('--as-of', AS_OF, '--json', '--html', page)) as { stdout: string };

    // Assess
    const report = JSON.parse(stdout);
    expect(report.asOf).toBe(AS_OF);
    expect(report.asOfInstant).toBe('2026-03-02T12:00:00.000Z');
    expect(report.currencies).toEqual(KNOWN_AGING.map((line) => expect.objectContaining(line)));
    expect(report.html).toBe(page);
    const html = await readFile(page, 'utf8');
    expect(html.match(/<svg /g)).toHaveLength(4);
    expect(html).toContain('$1,650.00');
  });

  it('prints a table for a person, amounts in the chosen locale', async () => {
    // Act
    const { stdout } = (await dunning('--as-of', AS_OF, '--locale', 'de-DE')) as { stdout: string };

    // Assess
    expect(stdout).toContain('Receivables aging as of 2026-03-02 (12:00 UTC)');
    const eur = stdout.split('\n').find((line) => line.trimStart().startsWith('EUR'));
    const cells = eur?.trim().split(/ {2,}/);
    // German grouping and decimal marks, the euro sign after a no-break space.
    expect(cells?.slice(0, 7)).toEqual([
      'EUR',
      '50,00\u00a0€',
      '0,00\u00a0€',
      '10,00\u00a0€',
      '0,00\u00a0€',
      '1.234,56\u00a0€',
      '1.294,56\u00a0€',
    ]);
  });

  it('exits 1 naming a bad --as-of, with one JSON document on --json', async () => {
    // Act
    const failed = (await dunning('--as-of', '2026-02-30', '--json')) as { code: number; stdout: string };

    // Assess
    expect(failed.code).toBe(1);
    expect(JSON.parse(failed.stdout)).toEqual({ error: expect.stringContaining('--as-of "2026-02-30"') });
  });

  describe('on a generated portfolio after a dunning run and payments', () => {
    let mailbox: TestMailbox;
    beforeAll(async () => {
      mailbox = await startTestMailbox({ account: SES_ACCOUNT });
    });
    afterAll(async () => {
      await mailbox.stop();
    });

    it('totals, per currency, the outstanding amounts "dunning show" gives for every invoice', async () => {
      // Prepare: 120 invoices at every stage, a run that adds late fees, then the report's reads.
      const generated = [...portfolioRows({ today: AS_OF, invoices: 120, customers: 40, idPrefix: 'GEN' })];
      await importRows('generated.csv', generated);
      const at = new Date('2026-03-02T12:00:00Z');
      const { run, close } = buildRun(store, mailbox, { clock: () => at });
      const { summary } = await run.run({ asOf: at });
      close();
      expect(summary.sent).toBeGreaterThan(0);

      // Act
      const reads = new DynamoReportReads(store.documentClient, store.tableName, 'UTC');
      const report = await collectReport(reads, reportMoment(AS_OF, 'UTC', at), 'UTC');

      // Assess
      const shown = await Promise.all(
        [...KNOWN, ...generated].map(async (line) => {
          const audit = await readInvoiceAudit(
            store.documentClient,
            store.tableName,
            line.invoice_id as string,
          );
          return showDocument(audit as NonNullable<typeof audit>).invoice;
        }),
      );
      const owed = new Map<string, number>();
      for (const invoice of shown)
        owed.set(invoice.currency, (owed.get(invoice.currency) ?? 0) + invoice.outstanding);
      const totals = Object.fromEntries(report.currencies.map((line) => [line.currency, line.outstanding]));
      expect(totals).toEqual(Object.fromEntries(owed));
      for (const line of report.currencies)
        expect(line.current + line.d1_30 + line.d31_60 + line.d61_90 + line.d90plus).toBe(line.outstanding);
      const sent = report.currencies.reduce((count, line) => count + line.remindersSent, 0);
      expect(sent).toBe(summary.sent);
    });
  });
});
