/** One reason a row cannot be imported; `row` counts the header as row 1 (JSON: array index + 2). */
export interface RowProblem {
  readonly row: number;
  readonly column: string;
  readonly value: string;
  readonly reason: string;
}

/** The cell's text as the user wrote it, for messages: JSON values other than strings as JSON. */
export const displayValue = (value: unknown): string => {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  return JSON.stringify(value) ?? String(value);
};

export const describeProblem = (problem: RowProblem): string =>
  `row ${problem.row}${problem.column ? `, ${problem.column}` : ''}${
    problem.value ? ` "${problem.value}"` : ''
  }: ${problem.reason}`;
