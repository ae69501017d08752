import { createHash } from 'node:crypto';
import { FALLBACK_LANGUAGE } from '../reminder/locale.ts';
import { isImportColumn, REQUIRED_COLUMNS } from './columns.ts';
import { FileIndex } from './file-index.ts';
import { displayValue, type RowProblem } from './problems.ts';
import type { SkipReason } from './profiles.ts';
import { type ImportDefaults, type ImportRow, validateRow } from './row-schema.ts';
import { type ImportFormat, type ReadObserver, rowPlace, type SourceRow } from './source-row.ts';
import { utf8Bytes } from './store-limits.ts';

const FALLBACK_LANGUAGE_NAME = new Intl.DisplayNames(['en'], { type: 'language' }).of(FALLBACK_LANGUAGE);

/** What the first pass over a file learns: every problem, and what the write pass needs. */
export interface ValidationPass {
  readonly rows: number;
  readonly problems: RowProblem[];
  readonly warnings: string[];
  /** Rows an export profile left out, by reason (line items of an invoice under `line_item`). */
  readonly skipped: Partial<Record<SkipReason, number>>;
  readonly index: FileIndex;
  /** SHA-256 of the file's bytes: the second pass checks the file did not change in between. */
  readonly contentHash: string;
}

/** One of a valid row's items that the store would refuse for its size (adapters/dynamodb/import-item-limit.ts). */
export interface OversizedItem {
  readonly item: string;
  readonly bytes: number;
  readonly limit: number;
}

/** Sizes the items a valid row (numbered as the file numbers it) would write; undefined when all fit. */
export type RowItemCheck = (row: ImportRow, rowNumber: number) => OversizedItem | undefined;

export type ProgressListener = (
  phase: 'validating' | 'comparing' | 'applying',
  done: number,
  total: number,
) => void;

const MAX_NAMED_COLUMNS = 20;

const hasTemplates = (locale: string, languages: readonly string[]): boolean =>
  languages.includes(new Intl.Locale(locale).language);

/** Not a refusal: those customers are reminded all the same, in the fallback language. */
const fallbackWarning = (locales: ReadonlyMap<string, number>): string => {
  const listed = [...locales]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([locale, count]) => `${locale} (${count} ${count === 1 ? 'row' : 'rows'})`)
    .join(', ');
  return `customer_locale without reminder templates: ${listed}; these customers get reminders in ${FALLBACK_LANGUAGE_NAME}, with ${FALLBACK_LANGUAGE_NAME} dates and amounts`;
};

/** Columns the import does not know are named in a warning, up to a bound. */
const noteUnknownColumns = (names: readonly string[], unknownColumns: Set<string>): void => {
  for (const name of names) {
    if (!isImportColumn(name) && name !== '' && unknownColumns.size < MAX_NAMED_COLUMNS)
      unknownColumns.add(name);
  }
};

/** What the pass ignored, and who is reminded in the fallback language: told, not refused. */
const passWarnings = (unknownColumns: ReadonlySet<string>, fallbackLocales: ReadonlyMap<string, number>) => [
  ...(unknownColumns.size > 0 ? [`ignored unknown columns: ${[...unknownColumns].sort().join(', ')}`] : []),
  ...(fallbackLocales.size > 0 ? [fallbackWarning(fallbackLocales)] : []),
];

/**
 * A CSV header is seen once: a missing required column is one problem, not one per row (it is noted
 * in `missingColumns`, so the rows do not repeat it).
 */
const headerProblems = (names: readonly string[], missingColumns: Set<string>): RowProblem[] => {
  const problems: RowProblem[] = [];
  for (const column of REQUIRED_COLUMNS) {
    if (!names.includes(column)) {
      missingColumns.add(column);
      problems.push({ row: 1, column, value: '', reason: 'required column is missing from the header' });
    }
  }
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name) && isImportColumn(name)) {
      problems.push({ row: 1, column: name, value: name, reason: 'column appears twice in the header' });
    }
    seen.add(name);
  }
  return problems;
};

/** One row read: the valid row, or why it cannot be imported (unreadable, invalid, too large to store). */
const checkRow = (
  source: SourceRow,
  defaults: ImportDefaults,
  missingColumns: ReadonlySet<string>,
  itemCheck: RowItemCheck | undefined,
): { ok: true; row: ImportRow } | { ok: false; problems: RowProblem[] } => {
  if (source.unreadable)
    return {
      ok: false,
      problems: [{ ...rowPlace(source), column: '', value: '', reason: source.unreadable }],
    };
  const found = rowProblems(source, defaults, missingColumns);
  if (!found.ok) return found;
  const oversized = itemCheck?.(found.row, source.row);
  return oversized ? { ok: false, problems: [oversizedProblem(source, oversized)] } : found;
};

/**
 * Reads the whole file once and checks every row, holding only the file index (ids and digests), so
 * that nothing is written unless every row is good and every bad row is reported together.
 */
export const validateImportFile = async (
  readRows: (observer: ReadObserver) => AsyncIterable<SourceRow>,
  format: ImportFormat,
  size: number,
  defaults: ImportDefaults,
  onProgress?: ProgressListener,
  itemCheck?: RowItemCheck,
): Promise<ValidationPass> => {
  const hash = createHash('sha256');
  const index = new FileIndex();
  const problems: RowProblem[] = [];
  const unknownColumns = new Set<string>();
  const missingColumns = new Set<string>();
  const fallbackLocales = new Map<string, number>();
  const skipped: Partial<Record<SkipReason, number>> = {};
  let bytes = 0;
  let rows = 0;

  const rowsOfFile = readRows({
    skipped: (reason) => {
      skipped[reason] = (skipped[reason] ?? 0) + 1;
    },
    bytes: (chunk) => {
      hash.update(chunk);
      bytes += chunk.length;
      onProgress?.('validating', bytes, size);
    },
    columns: (names) => {
      noteUnknownColumns(names, unknownColumns);
      if (format === 'csv') problems.push(...headerProblems(names, missingColumns));
    },
  });

  for await (const source of rowsOfFile) {
    rows += 1;
    const checked = checkRow(source, defaults, missingColumns, itemCheck);
    if (!checked.ok) {
      problems.push(...checked.problems);
      continue;
    }
    const { row } = checked;
    if (defaults.templateLanguages && !hasTemplates(row.locale, defaults.templateLanguages))
      fallbackLocales.set(row.locale, (fallbackLocales.get(row.locale) ?? 0) + 1);
    const conflict = index.add(source.row, row);
    if (conflict !== undefined) {
      problems.push({
        ...rowPlace(source),
        ...named(source, 'invoice_id'),
        value: row.invoiceId,
        reason: `same invoice_id as row ${conflict} with different data`,
      });
    }
  }

  const warnings = passWarnings(unknownColumns, fallbackLocales);
  return { rows, problems, warnings, skipped, index, contentHash: hash.digest('hex') };
};

/** A problem's column as the user's file names it (a mapped field's source column), with the field. */
const named = (source: SourceRow, field: string) => {
  const column = source.sourceColumns?.[field];
  return column && column !== field ? { column, field } : { column: field };
};

/** The longest cell a value shows of itself in a message; the reason gives the whole size. */
const SHOWN_CHARS = 200;

/** An item too large for the store, named by the row's largest cell: the one to shorten. */
const oversizedProblem = (source: SourceRow, oversized: OversizedItem): RowProblem => {
  let largest: [string, string] = ['', ''];
  for (const [column, raw] of Object.entries(source.values)) {
    const text = displayValue(raw);
    if (utf8Bytes(text) > utf8Bytes(largest[1])) largest = [column, text];
  }
  const [column, value] = largest;
  return {
    ...rowPlace(source),
    ...named(source, column),
    value: value.length > SHOWN_CHARS ? `${value.slice(0, SHOWN_CHARS)}…` : value,
    reason: `its ${oversized.item} item would take ${oversized.bytes} bytes, over the ${oversized.limit} bytes DynamoDB holds in one item`,
  };
};

/** Every problem of one row: repeated keys, what a mapping could not convert, then the row schema. */
const rowProblems = (
  source: SourceRow,
  defaults: ImportDefaults,
  missingColumns: ReadonlySet<string>,
): { ok: true; row: ImportRow } | { ok: false; problems: RowProblem[] } => {
  const place = rowPlace(source);
  const problems: RowProblem[] = [
    ...(source.duplicateColumns ?? []).map((column) => ({
      ...place,
      column,
      value: column,
      reason: 'key appears twice in this object; which value is meant is unknown',
    })),
    ...(source.mappingProblems ?? []).map((problem) => ({
      ...place,
      ...named(source, problem.field),
      value: problem.value,
      reason: problem.reason,
    })),
  ];
  const converted = new Set((source.mappingProblems ?? []).map((problem) => problem.field as string));
  const result = validateRow(source.values, defaults);
  if (!result.ok) {
    for (const problem of result.problems) {
      if (missingColumns.has(problem.column) || converted.has(problem.column)) continue;
      problems.push({
        ...place,
        ...named(source, problem.column),
        value: problem.value,
        reason: problem.reason,
      });
    }
  }
  return result.ok && problems.length === 0 ? { ok: true, row: result.row } : { ok: false, problems };
};
