/**
 * One benchmark figure per line on stdout, as JSON (bench/README.md). A target is a bound the
 * figure should stay within; `ok` says whether this run did. Missing a target is reported, never
 * fatal: the figures are for reading.
 */
export interface Target {
  readonly max?: number;
  readonly min?: number;
}

export interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly target?: string;
  readonly ok?: boolean;
  readonly [detail: string]: unknown;
}

/** Enough digits to compare with a target: 4.0001 is not 4. */
const round = (value: number): number =>
  Math.abs(value) >= 100 ? Math.round(value * 10) / 10 : Math.round(value * 10_000) / 10_000;

const describeTarget = (target: Target): string =>
  [target.min !== undefined ? `>= ${target.min}` : '', target.max !== undefined ? `<= ${target.max}` : '']
    .filter(Boolean)
    .join(' and ');

export const withinTarget = (value: number, target: Target): boolean =>
  Number.isFinite(value) &&
  (target.min === undefined || value >= target.min) &&
  (target.max === undefined || value <= target.max);

export const figure = (
  name: string,
  value: number,
  unit: string,
  target?: Target,
  details: Record<string, unknown> = {},
): Figure => ({
  name,
  value: round(value),
  unit,
  ...(target ? { target: describeTarget(target), ok: withinTarget(value, target) } : {}),
  ...details,
});

export const printFigure = (line: Figure): void => {
  process.stdout.write(`${JSON.stringify(line)}\n`);
};

/** Progress for the person waiting; stderr, so stdout stays one JSON object per line. */
export const note = (text: string): void => {
  process.stderr.write(`bench: ${text}\n`);
};
