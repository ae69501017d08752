import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Stripe from 'stripe';
import { nextId } from './payment-fixtures.ts';

/**
 * Stripe events built from Stripe's published object fixtures (test/fixtures/stripe, with their
 * source): the fixture object with only the fields a scenario needs laid over it.
 */
export const STRIPE_FAMILIES = {
  '2024-06-20': { folder: '2024-06-20', apiVersion: '2024-06-20', basil: false },
  [Stripe.API_VERSION]: { folder: '2026-07-29.dahlia', apiVersion: Stripe.API_VERSION, basil: true },
} as const;
export type StripeFamily = (typeof STRIPE_FAMILIES)[keyof typeof STRIPE_FAMILIES];

type StripeObject =
  | 'checkout-session'
  | 'payment-intent'
  | 'charge'
  | 'invoice'
  | 'invoice-payment'
  | 'event';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'stripe');

export const fixtureObject = (family: StripeFamily, name: StripeObject): Record<string, unknown> =>
  JSON.parse(readFileSync(join(FIXTURES, family.folder, `${name}.json`), 'utf8'));

/** The fixture object of `name` with `fields` laid over it (`undefined` removes a field). */
export const stripeObject = (family: StripeFamily, name: StripeObject, fields: Record<string, unknown>) => {
  const object = { ...fixtureObject(family, name), ...fields };
  for (const [key, value] of Object.entries(fields)) if (value === undefined) delete object[key];
  return object;
};

/** The event envelope of the fixtures around `object`, as Stripe posts it to an endpoint of that version. */
export const stripeFixtureEvent = (
  family: StripeFamily,
  type: string,
  object: Record<string, unknown>,
  options: { previousAttributes?: Record<string, unknown>; id?: string } = {},
): string =>
  JSON.stringify({
    ...fixtureObject(family, 'event'),
    id: options.id ?? nextId('evt'),
    api_version: family.apiVersion,
    created: Math.floor(Date.now() / 1000),
    type,
    pending_webhooks: 1,
    data: {
      object,
      ...(options.previousAttributes ? { previous_attributes: options.previousAttributes } : {}),
    },
  });
