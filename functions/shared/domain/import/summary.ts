import { UserInputError } from '../../errors.ts';
import { describeProblem, type RowProblem } from './problems.ts';
import type { SkipReason } from './profiles.ts';

/** What an import did (or, dry, would do); the `--json` document of docs/cli.md. */
export interface ImportSummary {
  readonly file: string;
  readonly dryRun: boolean;
  readonly rows: number;
  readonly invoices: { new: number; updated: number; unchanged: number };
  readonly customers: { new: number; updated: number; unchanged: number };
  readonly warnings: string[];
  readonly errors: RowProblem[];
  /** Rows of an export (`--from`) that are not open invoices, by reason; absent for plain files. */
  readonly skipped?: Partial<Record<SkipReason, number>>;
  /** Further line items combined into the invoice of their first row (`--from`). */
  readonly combined?: number;
}

/** The summary's `skipped` and `combined`, from what the profile left out. */
export const skippedFields = (
  skipped: Partial<Record<SkipReason, number>>,
  profiled: boolean,
): Pick<ImportSummary, 'skipped' | 'combined'> => {
  if (!profiled) return {};
  const { line_item: combined = 0, ...rest } = skipped;
  return { skipped: rest, combined };
};

const SKIP_WORDS: Record<SkipReason, string> = {
  paid: 'paid',
  void: 'void or cancelled',
  draft: 'draft',
  credit_note: 'credit notes',
  not_an_invoice: 'not invoices (payments, other transactions)',
  report_row: "the report's headings and totals",
  no_due_date: 'without a due date (charged automatically)',
  line_item: 'line items',
};

export const describeSkipped = (skipped: Partial<Record<SkipReason, number>>): string =>
  Object.entries(skipped)
    .filter(([, count]) => (count ?? 0) > 0)
    .map(([reason, count]) => `${count} ${SKIP_WORDS[reason as SkipReason]}`)
    .join(', ');

export const emptySummary = (file: string, dryRun: boolean): ImportSummary => ({
  file,
  dryRun,
  rows: 0,
  invoices: { new: 0, updated: 0, unchanged: 0 },
  customers: { new: 0, updated: 0, unchanged: 0 },
  warnings: [],
  errors: [],
});

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

export const formatImportSummary = (summary: ImportSummary): string => {
  const { invoices, customers } = summary;
  const lines = [
    `${summary.dryRun ? 'Dry run of' : 'Imported'} ${summary.file}: ${plural(summary.rows, 'row')}${
      summary.dryRun ? ' (nothing written)' : ''
    }`,
    `  invoices:  ${invoices.new} new, ${invoices.updated} updated, ${invoices.unchanged} unchanged`,
    `  customers: ${customers.new} new, ${customers.updated} updated, ${customers.unchanged} unchanged`,
    ...(summary.combined
      ? [`  combined:  ${plural(summary.combined, 'further line item')} into their invoices`]
      : []),
    ...(summary.skipped && describeSkipped(summary.skipped)
      ? [`  skipped:   ${describeSkipped(summary.skipped)} (not open invoices)`]
      : []),
    ...summary.warnings.map((warning) => `  warning: ${warning}`),
  ];
  return lines.join('\n');
};

/**
 * The file was refused as a whole: every bad row is listed, nothing was written. Carries the import
 * document so `--json` prints it alongside the error.
 */
export class ImportRejectedError extends UserInputError {
  readonly details: ImportSummary;

  constructor(summary: ImportSummary) {
    const rows = new Set(summary.errors.map((problem) => problem.row)).size;
    const first = summary.errors[0];
    super(
      `${summary.file}: ${plural(rows, 'bad row')}, nothing was imported${
        first ? ` (first: ${describeProblem(first)})` : ''
      }`,
    );
    this.name = 'ImportRejectedError';
    this.details = summary;
  }
}
