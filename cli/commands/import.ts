import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { checkEncodingName } from '../../functions/shared/adapters/files/decode.ts';
import { readShape } from '../../functions/shared/adapters/files/read-shape.ts';
import { importDepsOf, importFile, pendingImports } from '../../functions/shared/composition/import.ts';
import { describeProblem } from '../../functions/shared/domain/import/problems.ts';
import {
  formatImportSummary,
  ImportRejectedError,
  type ImportSummary,
} from '../../functions/shared/domain/import/summary.ts';
import type { ProgressListener } from '../../functions/shared/domain/import/validation-pass.ts';
import { UserInputError } from '../../functions/shared/errors.ts';
import { action, type CommonOptions, withCommonOptions } from '../command.ts';
import { createCliContext } from '../context.ts';
import { printJson, printLine } from '../output.ts';

interface ImportFlags extends CommonOptions {
  readonly dryRun?: boolean;
  readonly status?: boolean;
  readonly map?: string;
  readonly from?: string;
  readonly encoding?: string;
}

const PHASE_LABELS = { validating: 'validating', comparing: 'comparing ', applying: 'applying  ' } as const;

/** A bar on stderr for people at a terminal; nothing at all for pipes, CI and `--json`. */
const progressBar = (flags: ImportFlags): { listener?: ProgressListener; stop(): void } => {
  if (flags.json || !process.stderr.isTTY) return { stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: '{phase} [{bar}] {percentage}% {value}/{total}', hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  let phase: keyof typeof PHASE_LABELS | undefined;
  return {
    listener: (next, done, total) => {
      if (next !== phase) {
        if (phase) bar.stop();
        phase = next;
        bar.start(total, done, { phase: PHASE_LABELS[next] });
      } else bar.update(done);
    },
    stop: () => {
      if (phase) bar.stop();
    },
  };
};

const MAX_LISTED = 200;

const listBadRows = (summary: ImportSummary) => {
  for (const problem of summary.errors.slice(0, MAX_LISTED))
    process.stderr.write(`  ${describeProblem(problem)}\n`);
  if (summary.errors.length > MAX_LISTED) {
    process.stderr.write(`  ... and ${summary.errors.length - MAX_LISTED} more (--json lists them all)\n`);
  }
};

const runImport = async (file: string, flags: ImportFlags): Promise<number> => {
  // The options are checked before the store is touched: a typo costs nothing.
  const encoding = flags.encoding === undefined ? undefined : checkEncodingName(flags.encoding);
  const shape = await readShape(flags);
  const context = await createCliContext(flags);
  const progress = progressBar(flags);
  try {
    const summary = await importFile(importDepsOf(context, progress.listener), file, {
      dryRun: flags.dryRun,
      shape,
      ...(encoding ? { encoding } : {}),
    });
    progress.stop();
    if (flags.json) printJson(summary);
    else printLine(formatImportSummary(summary));
    return 0;
  } catch (error) {
    progress.stop();
    if (error instanceof ImportRejectedError && !flags.json) listBadRows(error.details);
    throw error;
  } finally {
    context.close();
  }
};

/**
 * Imports committed whose roll-forward has not finished: every run and import retries them, each on
 * its own; one that keeps failing is listed here with its id and the reason.
 */
const importStatus = async (flags: ImportFlags): Promise<number> => {
  const context = await createCliContext(flags);
  try {
    const pending = await pendingImports(context);
    if (flags.json) {
      printJson({ imports: pending });
      return 0;
    }
    if (pending.length === 0) printLine('No pending or failed imports: every committed import is complete.');
    for (const entry of pending) {
      printLine(
        `${entry.importId}  ${entry.status}  ${entry.file}  ${entry.rows} rows, committed ${entry.committedAt}`,
      );
      if (entry.error)
        printLine(
          `  ! ${entry.error} (${entry.failedAttempts ?? 1} attempt(s), last ${entry.lastAttemptAt ?? '?'})`,
        );
    }
    return 0;
  } finally {
    context.close();
  }
};

export const registerImport = (program: Command): void => {
  withCommonOptions(
    program
      .command('import')
      .description('import invoices and customers from a CSV or JSON file; all or nothing')
      .argument('[file]', 'CSV (header row, any column order) or JSON (array of objects)')
      .option('--dry-run', 'validate and report what would change; write nothing')
      .option('--status', 'list imports committed but not yet completed (pending or failed), and why')
      .option(
        '--map <mapping.json>',
        'read other column names, date formats and separators (see docs/import.md)',
      )
      .option('--from <tool>', "read that tool's invoice export: stripe, xero, quickbooks or invoiceninja")
      .option(
        '--encoding <name>',
        "the file's encoding when it is not UTF-8, e.g. windows-1252 (a BOM is detected)",
      )
      .addHelpText(
        'after',
        '\nColumns: invoice_id, customer_id, customer_name, customer_email, currency, amount_due, due_date\n' +
          '(required); invoice_number, issue_date, amount_paid, customer_locale, customer_timezone,\n' +
          'customer_address, payment_url, customer_type (optional). Amounts are decimal strings in major units ("1234.50").\n' +
          'Errors name the line of the file (and the record, when a quoted field spans lines).\n' +
          '\nExamples:\n  dunning import invoices.csv --dry-run\n  dunning import invoices.json --json\n' +
          '  dunning import Export.csv --from xero\n  dunning import report.csv --from quickbooks --map currency.json\n' +
          '  dunning import legacy.csv --map legacy-mapping.json --encoding windows-1252',
      ),
  ).action(
    action((file: string | undefined, flags: ImportFlags) => {
      if (flags.status) return importStatus(flags);
      if (file === undefined)
        throw new UserInputError('import needs a FILE (or --status to list pending imports)');
      return runImport(file, flags);
    }),
  );
};
