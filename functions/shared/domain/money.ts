import currencyCodes from 'currency-codes';
import { cachedBy } from './intl-cache.ts';

/**
 * Money as the product keeps it: an integer count of the currency's minor unit, parsed from and
 * formatted to decimal strings without ever passing through a binary float. Minor-unit exponents
 * come from the ISO 4217 table (JPY 0, USD 2, KWD 3).
 */

export interface CurrencyInfo {
  readonly code: string;
  /** Digits after the decimal point: the minor unit's exponent. */
  readonly digits: number;
  readonly name: string;
}

// Precious metals, bond units and the test/no-currency codes are not money anyone is invoiced in.
const isTradableCurrency = (entry: { countries: string[] }) =>
  entry.countries.length > 0 && !entry.countries.every((country) => country.startsWith('Zz'));

const CURRENCIES: ReadonlyMap<string, CurrencyInfo> = new Map(
  currencyCodes.data
    .filter(isTradableCurrency)
    .map((entry) => [entry.code, { code: entry.code, digits: entry.digits, name: entry.currency }]),
);

export const currencyInfo = (code: string): CurrencyInfo | undefined => CURRENCIES.get(code);
export const allCurrencies = (): readonly CurrencyInfo[] => [...CURRENCIES.values()];

export class MoneyFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MoneyFormatError';
  }
}

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/**
 * Parses a non-negative decimal string in major units ("1234.50") into minor units (123450), by
 * string arithmetic. Rejects signs, exponents, separators and more decimals than the currency has.
 */
export const parseMajor = (text: string, currency: string): number => {
  const info = currencyInfo(currency);
  if (!info) throw new MoneyFormatError(`unknown currency "${currency}"`);
  const match = DECIMAL.exec(text.trim());
  if (!match) {
    throw new MoneyFormatError(
      text.trim().startsWith('-')
        ? 'amount must not be negative'
        : 'expected a decimal amount such as "1234.50" (digits, optional point, no separators)',
    );
  }
  const [, whole = '0', fraction = ''] = match;
  if (fraction.length > info.digits) {
    throw new MoneyFormatError(
      info.digits === 0
        ? `${currency} has no minor unit: no decimals allowed`
        : `${currency} allows at most ${info.digits} decimal${info.digits === 1 ? '' : 's'}`,
    );
  }
  const minor = BigInt(whole + fraction.padEnd(info.digits, '0'));
  if (minor > BigInt(Number.MAX_SAFE_INTEGER)) throw new MoneyFormatError('amount is too large');
  return Number(minor);
};

/** The exact decimal string in major units for an integer minor amount: 123450 USD -> "1234.50". */
export const toMajorString = (minor: number, currency: string): string => {
  const info = currencyInfo(currency);
  if (!info) throw new MoneyFormatError(`unknown currency "${currency}"`);
  if (!Number.isSafeInteger(minor))
    throw new MoneyFormatError('amount must be a whole number of minor units');
  const sign = minor < 0 ? '-' : '';
  const digits = String(Math.abs(minor)).padStart(info.digits + 1, '0');
  if (info.digits === 0) return `${sign}${digits}`;
  return `${sign}${digits.slice(0, -info.digits)}.${digits.slice(-info.digits)}`;
};

/**
 * Formats minor units for a reader in their locale ("1.234,50 €" for de-DE). Intl receives the exact
 * decimal string, not a float, so no rounding can creep in.
 */
const moneyFormats = cachedBy((key) => {
  const [locale, currency] = JSON.parse(key) as [string, string];
  const info = currencyInfo(currency);
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    minimumFractionDigits: info?.digits,
    maximumFractionDigits: info?.digits,
  });
});

export const formatMoney = (minor: number, currency: string, locale: string): string =>
  moneyFormats(JSON.stringify([locale, currency])).format(
    toMajorString(minor, currency) as unknown as number,
  );
