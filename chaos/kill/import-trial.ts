import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCliContext } from '../../cli/context.ts';
import { type PortfolioRow, portfolioRows, writePortfolioCsv } from '../../cli/demo/portfolio.ts';
import { importDepsOf, importFile } from '../../functions/shared/composition/import.ts';
import type { Invoice } from '../../functions/shared/domain/model.ts';
import { parseMajor } from '../../functions/shared/domain/money.ts';
import { cliEnv } from '../../test/e2e/cli-process.ts';
import { startTestStore } from '../../test/support/emulators.ts';
import { importRecords, readInvoices, runAndKill, type Trial } from './harness.ts';

const TODAY = '2026-04-01';
const ROWS = 300;

/** What the file says of each invoice: the amounts that tell one version of it from another. */
type Amounts = Map<string, string>;

const amountsOf = (rows: readonly PortfolioRow[]): Amounts =>
  new Map(
    rows.map((row) => {
      const currency = row.currency ?? '';
      const paid = row.amount_paid ? parseMajor(row.amount_paid, currency) : 0;
      return [row.invoice_id ?? '', `${parseMajor(row.amount_due ?? '', currency)}/${paid}`];
    }),
  );

const amountsIn = (invoice: Invoice): string => `${invoice.amountDue}/${invoice.amountPaid}`;

/**
 * One `dunning import` killed at a random moment: into an empty store, or as a re-import with
 * changed amounts over one already applied. Between the kill and the re-run every invoice is whole
 * and either all of the file shows or none of it (or the commit went through and the roll-forward
 * that every run and import does first completes it); after the re-run all of it shows.
 */
export const importKillTrial: Trial = async (trial, random, windowMs) => {
  const store = await startTestStore();
  const folder = await mkdtemp(join(tmpdir(), 'dunning-kill-import-'));
  try {
    const env = cliEnv({
      DUNNING_DYNAMODB_PORT: String(store.port),
      DUNNING_TABLE_NAME: store.tableName,
      DUNNING_TIME_ZONE: 'UTC',
    });
    const rowsOf = (seed: number) => [
      ...portfolioRows({ today: TODAY, invoices: ROWS, customers: ROWS / 3, idPrefix: `I${trial}`, seed }),
    ];
    const update = random() < 0.5;
    const target = rowsOf(trial + 1_000);
    const base = update ? rowsOf(trial) : [];
    const importHere = async (path: string) => {
      const context = await createCliContext({}, env);
      try {
        await importFile(importDepsOf(context), path);
      } finally {
        context.close();
      }
    };
    if (update) {
      const baseFile = join(folder, 'base.csv');
      await writePortfolioCsv(baseFile, base);
      await importHere(baseFile);
    }
    const file = join(folder, 'invoices.csv');
    await writePortfolioCsv(file, target);
    const before = amountsOf(base);
    const after = amountsOf(target);
    const violations: string[] = [];

    // Act: the import killed somewhere from its start to its last write.
    // Reading and validating the file takes the first half; staging, commit and apply the rest.
    const delay = Math.floor(windowMs * (0.5 + 0.55 * random()));
    const kill = await runAndKill(['import', file, '--json'], env, delay);

    // Assess: whole invoices; none or all, unless committed (then the roll-forward owes the rest).
    const status = (await importRecords(store.documentClient, store.tableName)).find(
      (record) => record.file === file,
    )?.status as string | undefined;
    const killedAt = await readInvoices(store.documentClient, store.tableName);
    violations.push(...killedAt.problems);
    let shown = 0;
    for (const [invoiceId, wanted] of after) {
      const stored = killedAt.invoices.get(invoiceId);
      const now = stored ? amountsIn(stored) : undefined;
      if (now === wanted) shown += 1;
      else if (now !== before.get(invoiceId)) violations.push(`${invoiceId}: ${now} is neither version`);
    }
    const unchanged = [...after].filter(([id, wanted]) => before.get(id) === wanted).length;
    const partial = shown > unchanged && shown < after.size;
    if (partial && status !== 'committed')
      violations.push(
        `import ${status ?? 'not begun'} shows ${shown - unchanged} of ${after.size - unchanged} changes`,
      );
    if (status === 'applied' && shown < after.size)
      violations.push(`applied import shows ${shown} of ${after.size}`);

    // Act: the same import again, to its end.
    await importHere(file).catch((error) => violations.push(`re-run failed: ${error.message}`));

    // Assess: all of it, and no import left half-way.
    const final = await readInvoices(store.documentClient, store.tableName);
    violations.push(...final.problems);
    const missing = [...after].filter(([id, wanted]) => {
      const stored = final.invoices.get(id);
      return !stored || amountsIn(stored) !== wanted;
    });
    if (missing.length)
      violations.push(`after the re-run ${missing.length} invoices lack the file's amounts`);
    const open = (await importRecords(store.documentClient, store.tableName)).filter(
      (record) => record.status !== 'applied',
    );
    if (open.length) violations.push(`imports left ${open.map((record) => record.status).join(', ')}`);
    return {
      killed: kill.killed,
      violations,
      // An import that ended before its kill shows how long a whole one takes.
      fullMs: kill.killed ? windowMs : kill.elapsedMs,
      counts: {
        [`killed_${kill.killed ? (status ?? 'before_staging') : 'after_exit'}`]: 1,
        [update ? 'reimports' : 'fresh_imports']: 1,
      },
    };
  } finally {
    await store.stop();
    await rm(folder, { recursive: true, force: true });
  }
};
