import type { ImportColumn } from './columns.ts';

/**
 * One reason a row cannot be imported. `row` counts the header as row 1: in CSV the line the editor
 * shows where the record starts (`record` its number among records, when that differs), in JSON the
 * array index + 2 (`line` the editor line the element starts on). `column` is the file's own column
 * name; `field` the import column it was mapped to, when a mapping names it otherwise.
 */
export interface RowProblem {
  readonly row: number;
  readonly record?: number;
  readonly line?: number;
  readonly column: string;
  readonly field?: string;
  readonly value: string;
  readonly reason: string;
}

/** One reason one cell of a row fails, before the row is placed in its file. */
export interface CellProblem {
  readonly column: ImportColumn | '';
  readonly value: string;
  readonly reason: string;
}

/** The cell's text as the user wrote it, for messages: JSON values other than strings as JSON. */
export const displayValue = (value: unknown): string => {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  return JSON.stringify(value) ?? String(value);
};

const placeOf = (problem: RowProblem): string => {
  if (problem.line !== undefined) return `row ${problem.row} (line ${problem.line})`;
  // A CSV row is numbered by its editor line already; its record number follows when it differs.
  return `row ${problem.row}${problem.record !== undefined ? ` (record ${problem.record})` : ''}`;
};

export const describeProblem = (problem: RowProblem): string =>
  `${placeOf(problem)}${problem.column ? `, ${problem.column}` : ''}${
    problem.field ? ` (${problem.field})` : ''
  }${problem.value ? ` "${problem.value}"` : ''}: ${problem.reason}`;
