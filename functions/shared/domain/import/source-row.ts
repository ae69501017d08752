import type { RawRow } from './columns.ts';
import type { ImportMapping, MappingProblem } from './mapping.ts';
import type { ExportProfile, SkipReason } from './profiles.ts';

/**
 * One record of an import file. CSV: `row` is the line the editor shows where the record starts
 * (the header is row 1), `record` its number among records when that differs (blank lines before
 * it, or a quoted field spanning lines). JSON: `row` is the array index + 2, `line` the editor line
 * where the element starts.
 */
export interface SourceRow {
  readonly row: number;
  readonly values: RawRow;
  readonly record?: number;
  readonly line?: number;
  /** Columns the row names twice (a JSON object with a repeated key): which value is meant is unknown. */
  readonly duplicateColumns?: readonly string[];
  /** Import column -> the file's own column it was read from, when a mapping read the row. */
  readonly sourceColumns?: Readonly<Record<string, string>>;
  /** What a mapping could not convert (a date not in its format). */
  readonly mappingProblems?: readonly MappingProblem[];
  /** Why the record could not even be read as a row (e.g. a JSON element that is not an object). */
  readonly unreadable?: string;
}

/** Hears what a reader learns on the way: column names, bytes consumed (progress, content hash). */
export interface ReadObserver {
  columns?(names: readonly string[]): void;
  bytes?(chunk: Buffer): void;
  /** A row an export profile left out (paid, void, a report's subtotal, a further line item...). */
  skipped?(reason: SkipReason): void;
}

export type ImportFormat = 'csv' | 'json';

/** Where a row sits, as problems carry it: the line or record beside the row number. */
export const rowPlace = (source: SourceRow) => ({
  row: source.row,
  ...(source.record === undefined ? {} : { record: source.record }),
  ...(source.line === undefined ? {} : { line: source.line }),
});

/** How an import's columns are read from the file's own: a mapping, an export profile, or both. */
export interface RowShape {
  readonly mapping?: ImportMapping;
  readonly profile?: ExportProfile;
}

/** How a file is read: its encoding (`--encoding`) and how its columns become the import's. */
export interface ReadOptions {
  readonly encoding?: string;
  readonly shape?: RowShape;
}
