import type { RawRow } from '../../domain/import/columns.ts';

/** One record of an import file with its row number (header = row 1; JSON: array index + 2). */
export interface SourceRow {
  readonly row: number;
  readonly values: RawRow;
  /** Why the record could not even be read as a row (e.g. a JSON element that is not an object). */
  readonly unreadable?: string;
}

/** Hears what a reader learns on the way: column names, bytes consumed (progress, content hash). */
export interface ReadObserver {
  columns?(names: readonly string[]): void;
  bytes?(chunk: Buffer): void;
}

export type ImportFormat = 'csv' | 'json';
