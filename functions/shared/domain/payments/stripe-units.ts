import { currencyInfo } from '../money.ts';

/**
 * How many decimals Stripe's API puts in an amount of each currency, which is not always the ISO 4217
 * exponent the product stores in.
 *
 * Source: Stripe, "Supported currencies", https://docs.stripe.com/currencies, sections "Zero-decimal
 * currencies", "Three-decimal currencies" and "Special cases"; and Stripe support, "Deprecation of
 * fractional ISK charges and refunds",
 * https://support.stripe.com/questions/deprecation-of-fractional-isk-charges-and-refunds. Read
 * 2026-12-01. Every currency not listed is two-decimal in Stripe's API ("unless noted otherwise").
 *
 * Special cases, as those pages state them:
 * - ISK: two-decimal in the API although ISO 4217 gives it none; since 2023-04-14 every ISK amount
 *   must be a multiple of 100 (an amount of 100 is 1 króna).
 * - HUF, TWD: two-decimal in the API (as in ISO 4217) for charges and refunds; only payouts are
 *   whole units, which webhooks for invoice payments never carry.
 * - UGX: zero-decimal in the API (as in ISO 4217).
 * - MGA: zero-decimal in the API although ISO 4217 gives it two.
 * - BHD, JOD, KWD, OMR, TND: three-decimal (as in ISO 4217), the last digit always 0.
 */
export const STRIPE_UNITS_SOURCE = {
  url: 'https://docs.stripe.com/currencies',
  read: '2026-12-01',
} as const;

export const STRIPE_ZERO_DECIMAL: readonly string[] = [
  'BIF',
  'CLP',
  'DJF',
  'GNF',
  'JPY',
  'KMF',
  'KRW',
  'MGA',
  'PYG',
  'RWF',
  'UGX',
  'VND',
  'VUV',
  'XAF',
  'XOF',
  'XPF',
];

export const STRIPE_THREE_DECIMAL: readonly string[] = ['BHD', 'JOD', 'KWD', 'OMR', 'TND'];

/** The decimals of an amount in Stripe's API for this ISO code (upper case). */
export const stripeDecimals = (currency: string): number => {
  if (STRIPE_ZERO_DECIMAL.includes(currency)) return 0;
  if (STRIPE_THREE_DECIMAL.includes(currency)) return 3;
  return 2;
};

export type StripeConversion =
  | { readonly exact: true; readonly amount: number }
  /** Stripe's amount has a fraction the ISO minor unit cannot hold (e.g. 150 ISK-hundredths). */
  | { readonly exact: false; readonly amount: number; readonly reason: string };

/**
 * A Stripe amount in the ISO minor units of its currency, by integer arithmetic only: multiplied when
 * ISO has more decimals than Stripe (MGA), divided when it has fewer (ISK), and never rounded: an amount
 * with a remainder is returned inexact (its whole part as `amount`), for the caller to flag.
 */
export const fromStripeAmount = (stripeAmount: number, currency: string): StripeConversion => {
  const iso = currencyInfo(currency)?.digits ?? 2;
  const difference = iso - stripeDecimals(currency);
  if (difference >= 0) {
    const amount = stripeAmount * 10 ** difference;
    if (!Number.isSafeInteger(amount))
      return { exact: false, amount: 0, reason: 'amount too large for its currency' };
    return { exact: true, amount };
  }
  const divisor = 10 ** -difference;
  const amount = Math.floor(stripeAmount / divisor);
  if (stripeAmount % divisor === 0) return { exact: true, amount };
  return {
    exact: false,
    amount,
    reason: `${stripeAmount} in Stripe's units is not a whole ${currency} minor unit`,
  };
};
