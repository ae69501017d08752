import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { allCurrencies } from '../../functions/shared/domain/money.ts';
import { isIgnored } from '../../functions/shared/domain/payments/event.ts';
import {
  NEWEST_STRIPE_API_VERSION,
  paymentFromStripeEvent,
} from '../../functions/shared/domain/payments/stripe-event.ts';
import {
  fromStripeAmount,
  STRIPE_THREE_DECIMAL,
  STRIPE_ZERO_DECIMAL,
  stripeDecimals,
} from '../../functions/shared/domain/payments/stripe-units.ts';

/** Every tradable currency whose Stripe decimals differ from its ISO 4217 exponent, worked out by hand. */
const DIFFERING = [
  // ISO 0, Stripe 2: 500 in Stripe's units is 5 króna.
  { currency: 'ISK', stripe: 50_000, iso: 500 },
  // ISO 2, Stripe 0: 5 ariary is 500 ISO minor units.
  { currency: 'MGA', stripe: 5, iso: 500 },
  // ISO 3, not in Stripe's three-decimal list, so two-decimal in the API.
  { currency: 'IQD', stripe: 1_234, iso: 12_340 },
  { currency: 'LYD', stripe: 1_234, iso: 12_340 },
  // ISO 4 (Chilean unit of account), two-decimal in the API.
  { currency: 'CLF', stripe: 1_234, iso: 123_400 },
  { currency: 'UYW', stripe: 1_234, iso: 123_400 },
  // ISO 0 fund and settlement units Stripe does not list: two-decimal by its default rule.
  { currency: 'UYI', stripe: 1_200, iso: 12 },
  { currency: 'XDR', stripe: 1_200, iso: 12 },
  { currency: 'XSU', stripe: 1_200, iso: 12 },
  { currency: 'XUA', stripe: 1_200, iso: 12 },
];

describe("Stripe's currency units", () => {
  it('lists exactly the tradable currencies whose units differ from ISO 4217 in the table above', () => {
    const differing = allCurrencies()
      .filter((info) => info.digits !== stripeDecimals(info.code))
      .map((info) => info.code)
      .sort();

    expect(differing).toEqual(DIFFERING.map((row) => row.currency).sort());
  });

  it.each(DIFFERING)('converts $stripe $currency in Stripe units to $iso ISO minor units', (row) => {
    expect(fromStripeAmount(row.stripe, row.currency)).toEqual({ exact: true, amount: row.iso });
  });

  it.each([
    ['JPY', 500, 500],
    ['UGX', 7_000, 7_000],
    ['USD', 1_099, 1_099],
    ['HUF', 123_456, 123_456],
    ['TWD', 99_900, 99_900],
    ['KWD', 5_120, 5_120],
    ['BHD', 10, 10],
  ])('keeps %s %i as %i where Stripe and ISO agree', (currency, stripe, iso) => {
    expect(fromStripeAmount(stripe, currency)).toEqual({ exact: true, amount: iso });
  });

  it('never rounds an ISK amount that is not whole krónur: it is reported inexact with its whole part', () => {
    expect(fromStripeAmount(4_010, 'ISK')).toEqual({
      exact: false,
      amount: 40,
      reason: "4010 in Stripe's units is not a whole ISK minor unit",
    });
  });

  it('reports an amount that would leave the safe integer range once converted', () => {
    expect(fromStripeAmount(Number.MAX_SAFE_INTEGER, 'MGA')).toMatchObject({ exact: false });
  });

  it('keeps zero- and three-decimal lists as Stripe publishes them', () => {
    expect(STRIPE_ZERO_DECIMAL).toHaveLength(16);
    expect(STRIPE_ZERO_DECIMAL).toContain('MGA');
    expect(STRIPE_ZERO_DECIMAL).not.toContain('ISK');
    expect(STRIPE_THREE_DECIMAL).toEqual(['BHD', 'JOD', 'KWD', 'OMR', 'TND']);
  });
});

const event = (object: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  id: 'evt_units',
  object: 'event',
  type: 'payment_intent.succeeded',
  created: 1_900_000_000,
  data: { object },
  ...extra,
});

describe('Stripe amounts read in the invoice currency', () => {
  it('stores an MGA payment in ISO minor units and flags an inexact ISK one, unrounded', () => {
    const mga = paymentFromStripeEvent(
      event({ id: 'pi_1', amount_received: 25_000, currency: 'mga', metadata: { invoice_id: 'INV-1' } }),
    );
    const isk = paymentFromStripeEvent(
      event({ id: 'pi_2', amount_received: 4_050, currency: 'isk', metadata: { invoice_id: 'INV-2' } }),
    );

    expect(mga).toMatchObject({ amount: 2_500_000, currency: 'MGA' });
    expect(mga).not.toHaveProperty('flag');
    expect(isk).toMatchObject({ amount: 40, currency: 'ISK', flag: 'amount_inexact', providerAmount: 4_050 });
  });

  it('ignores thin event notifications and events of an API version newer than it reads', () => {
    const thin = paymentFromStripeEvent({
      id: 'evt_thin',
      object: 'v2.core.event',
      type: 'v1.billing.meter.error_report_triggered',
      created: '2026-11-01T10:00:00.000Z',
      related_object: { id: 'mtr_1', type: 'billing.meter', url: '/v1/billing/meters/mtr_1' },
    });
    const newer = paymentFromStripeEvent(
      event(
        { id: 'pi_3', amount_received: 100, currency: 'usd', metadata: { invoice_id: 'INV-3' } },
        { api_version: '2027-03-25.fig' },
      ),
    );
    const current = paymentFromStripeEvent(
      event(
        { id: 'pi_4', amount_received: 100, currency: 'usd', metadata: { invoice_id: 'INV-4' } },
        { api_version: NEWEST_STRIPE_API_VERSION },
      ),
    );

    expect(thin).toMatchObject({ ignored: true, reason: 'thin event notification' });
    expect(newer).toMatchObject({ ignored: true, reason: expect.stringContaining('2027-03-25.fig') });
    expect(isIgnored(current)).toBe(false);
  });

  it('reads up to the API version the installed stripe package pins', () => {
    expect(NEWEST_STRIPE_API_VERSION).toBe(Stripe.API_VERSION);
  });
});
