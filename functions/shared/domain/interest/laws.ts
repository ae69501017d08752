import type { SeriesId } from './reference-rates.ts';

/**
 * The late-payment laws the product knows, as data: which reference rate, how many points on top,
 * whether the rate is fixed for the debt or follows each half-year, the fixed compensation, and the
 * order in which a part payment settles what is owed. Sources and worked examples:
 * docs/late-payment.md.
 */

/** What a part payment settles first, in order; whatever is left reduces nothing further. */
export type Settles = 'principal' | 'interest' | 'compensation';

export interface LatePaymentLaw {
  /** Policy key: `GB`, `DE`, `FR`, or `EU` for every other euro-area state. */
  readonly key: 'GB' | 'DE' | 'FR' | 'EU';
  readonly name: string;
  readonly series: SeriesId;
  /** Points over the reference rate, in basis points (8 points = 800). */
  readonly marginBasisPoints: number;
  /** GB: the rate of the half-year in which interest starts runs for the whole debt. */
  readonly rateFixedForDebt: boolean;
  /** The currency the compensation is stated in; no other currency gets a converted sum. */
  readonly compensationCurrency: string;
  /** Fixed compensation in minor units of `compensationCurrency`, by the debt (minor units). */
  readonly compensationFor: (debt: number) => number;
  readonly settlementOrder: readonly Settles[];
  /** The first day this law's reference rate applies to the country (euro adoption). */
  readonly since?: string;
}

const UNITED_KINGDOM: LatePaymentLaw = {
  key: 'GB',
  name: 'Late Payment of Commercial Debts (Interest) Act 1998',
  series: 'boe-bank-rate',
  marginBasisPoints: 800,
  rateFixedForDebt: true,
  compensationCurrency: 'GBP',
  // s. 5A(2): less than £1,000: £40; less than £10,000: £70; £10,000 or more: £100.
  compensationFor: (debt) => (debt < 100_000 ? 4_000 : debt < 1_000_000 ? 7_000 : 10_000),
  // The Act is silent; a payment goes to the debt itself, which never claims more than is owed.
  settlementOrder: ['principal', 'interest', 'compensation'],
};

const GERMANY: LatePaymentLaw = {
  key: 'DE',
  name: '§ 288 Abs. 2 und 5 BGB',
  series: 'bundesbank-basiszinssatz',
  marginBasisPoints: 900,
  rateFixedForDebt: false,
  compensationCurrency: 'EUR',
  compensationFor: () => 4_000,
  // § 367 Abs. 1 BGB: costs, then interest, then the principal.
  settlementOrder: ['compensation', 'interest', 'principal'],
};

const FRANCE: LatePaymentLaw = {
  key: 'FR',
  name: 'Code de commerce, art. L441-10 et D441-5',
  series: 'ecb-mro',
  marginBasisPoints: 1_000,
  rateFixedForDebt: false,
  compensationCurrency: 'EUR',
  compensationFor: () => 4_000,
  // Code civil art. 1343-1: a part payment goes first to interest; recovery costs are accessories
  // of the debt and also come before the principal (Cass. 1re civ., 7 février 1995, n° 92-14.216).
  settlementOrder: ['interest', 'compensation', 'principal'],
};

const directive = (since?: string): LatePaymentLaw => ({
  key: 'EU',
  name: 'Directive 2011/7/EU, art. 2(6), 3 and 6 (statutory minimum)',
  series: 'ecb-mro',
  marginBasisPoints: 800,
  rateFixedForDebt: false,
  compensationCurrency: 'EUR',
  compensationFor: () => 4_000,
  // The Directive leaves it to national law; the civil codes of the euro area settle accessories
  // before the principal (e.g. NL art. 6:44 BW, IT art. 1194 c.c., ES art. 1173 CC, AT § 1416 ABGB).
  settlementOrder: ['compensation', 'interest', 'principal'],
  ...(since === undefined ? {} : { since }),
});

/**
 * Euro-area members other than Germany and France, with the day each adopted the euro where that
 * falls inside the rate table's reach (before it, the Directive's reference rate was the national
 * central bank's, which the table does not hold).
 */
const OTHER_EURO_AREA: Readonly<Record<string, string | undefined>> = {
  AT: undefined,
  BE: undefined,
  BG: '2026-01-01',
  CY: undefined,
  EE: undefined,
  ES: undefined,
  FI: undefined,
  GR: undefined,
  HR: '2023-01-01',
  IE: undefined,
  IT: undefined,
  LT: undefined,
  LU: undefined,
  LV: undefined,
  MT: undefined,
  NL: undefined,
  PT: undefined,
  SI: undefined,
  SK: undefined,
};

/** The law for a customer's country (ISO 3166-1 alpha-2), or undefined where none is known. */
export const lawFor = (country: string | undefined): LatePaymentLaw | undefined => {
  if (country === undefined) return undefined;
  const code = country.toUpperCase();
  if (code === 'GB') return UNITED_KINGDOM;
  if (code === 'DE') return GERMANY;
  if (code === 'FR') return FRANCE;
  if (code in OTHER_EURO_AREA) return directive(OTHER_EURO_AREA[code]);
  return undefined;
};

export const LAW_KEYS = ['GB', 'DE', 'FR', 'EU'] as const;
