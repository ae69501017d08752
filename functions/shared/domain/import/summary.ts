import { UserInputError } from '../../errors.ts';
import { describeProblem, type RowProblem } from './problems.ts';

/** What an import did (or, dry, would do); the `--json` document of CONTRACT.md section 2. */
export interface ImportSummary {
  readonly file: string;
  readonly dryRun: boolean;
  readonly rows: number;
  readonly invoices: { new: number; updated: number; unchanged: number };
  readonly customers: { new: number; updated: number; unchanged: number };
  readonly warnings: string[];
  readonly errors: RowProblem[];
}

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
