import { ConfigError } from '../../errors.ts';
import * as z from '../../validation.ts';

/**
 * The reference-rate table (policy/reference-rates.json): one value per series and half-year, each
 * with where it was read and when. Rates are kept as basis points (hundredths of a percent) so that
 * no binary float ever takes part in an interest computation.
 */

export type SeriesId = 'boe-bank-rate' | 'bundesbank-basiszinssatz' | 'ecb-mro';
export const SERIES_IDS: readonly SeriesId[] = ['boe-bank-rate', 'bundesbank-basiszinssatz', 'ecb-mro'];

const isoDate = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'expected an ISO date such as "2026-01-01"'));
const halfYear = z.string().check(z.regex(/^\d{4}-H[12]$/, 'expected a half-year such as "2026-H1"'));
// Signed: the Basiszinssatz was negative from 2013 to 2022.
const percent = z
  .string()
  .check(z.regex(/^-?\d{1,2}\.\d{2}$/, 'expected a percentage with two decimals such as "3.75"'));

const valueSchema = z.strictObject({
  halfYear,
  percent,
  inForceOn: isoDate,
  setOn: z.optional(isoDate),
  source: z.url(),
  checked: isoDate,
  note: z.optional(z.string()),
});

const seriesSchema = z.strictObject({
  name: z.string(),
  rule: z.string(),
  publisher: z.url(),
  values: z.array(valueSchema),
});

export const referenceRatesSchema = z.strictObject({
  $comment: z.optional(z.string()),
  version: isoDate,
  series: z.strictObject({
    'boe-bank-rate': seriesSchema,
    'bundesbank-basiszinssatz': seriesSchema,
    'ecb-mro': seriesSchema,
  }),
});

export type ReferenceRatesDocument = z.infer<typeof referenceRatesSchema>;

export interface ReferenceRate {
  readonly halfYear: string;
  readonly basisPoints: number;
  readonly inForceOn: string;
  readonly source: string;
}

/** Looks up one series' value for one half-year; undefined when the table does not cover it. */
export interface ReferenceRates {
  readonly version: string;
  rate(series: SeriesId, halfYear: string): ReferenceRate | undefined;
}

/** "-0.88" -> -88, "3.75" -> 375, by string arithmetic. */
export const percentToBasisPoints = (text: string): number => {
  const negative = text.startsWith('-');
  const [whole = '0', fraction = '00'] = text.replace('-', '').split('.');
  const magnitude = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
  return negative ? -magnitude : magnitude;
};

/** The half-year a date falls in: "2026-07-14" -> "2026-H2". */
export const halfYearOf = (isoDate: string): string =>
  `${isoDate.slice(0, 4)}-H${Number(isoDate.slice(5, 7)) <= 6 ? 1 : 2}`;

/** The last day of the half-year a date falls in: "2026-03-02" -> "2026-06-30". */
export const endOfHalfYear = (isoDate: string): string =>
  `${isoDate.slice(0, 4)}-${Number(isoDate.slice(5, 7)) <= 6 ? '06-30' : '12-31'}`;

export const parseReferenceRates = (document: unknown, source: string): ReferenceRates => {
  const result = referenceRatesSchema.safeParse(document);
  if (!result.success) {
    const problems = result.error.issues.map(
      (issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
    throw new ConfigError(`Invalid reference-rate table ${source}: ${problems.join('; ')}`);
  }
  const table = new Map<string, ReferenceRate>();
  for (const id of SERIES_IDS) {
    for (const value of result.data.series[id].values) {
      const key = `${id}|${value.halfYear}`;
      if (table.has(key)) throw new ConfigError(`Invalid reference-rate table ${source}: ${key} twice`);
      table.set(key, {
        halfYear: value.halfYear,
        basisPoints: percentToBasisPoints(value.percent),
        inForceOn: value.inForceOn,
        source: value.source,
      });
    }
  }
  return {
    version: result.data.version,
    rate: (series, half) => table.get(`${series}|${half}`),
  };
};
