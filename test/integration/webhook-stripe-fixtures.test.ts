import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunningHttpServer } from '../../cli/http/server.ts';
import { localWebhookRoutes } from '../../cli/http/webhook-routes.ts';
import { main } from '../../cli/main.ts';
import type { Invoice } from '../../functions/shared/domain/model.ts';
import { testComposition } from '../support/composition.ts';
import { startTestStore, type TestStore } from '../support/emulators.ts';
import { serveRoutes } from '../support/local-server.ts';
import {
  aCustomer,
  anInvoice,
  nextId,
  seedInvoice,
  stripeHeaders,
  testSecrets,
} from '../support/payment-fixtures.ts';
import { paymentLambda } from '../support/payment-hosts.ts';
import {
  STRIPE_FAMILIES,
  type StripeFamily,
  stripeFixtureEvent,
  stripeObject,
} from '../support/stripe-fixtures.ts';

/**
 * Stripe payments as Stripe sends them, from its published fixtures of two API version families,
 * signed with the stripe package, posted in turn to the local server and to the payment Lambda's
 * handler (a function URL event), and read back with `dunning show --json`. Every expected amount is
 * worked out by hand in the test.
 */

let store: TestStore;
let server: RunningHttpServer;
let lambda: ReturnType<typeof paymentLambda>;
let dataDir: string;
const secrets = testSecrets();
const silent = { info: () => {}, warn: () => {}, error: () => {} };

beforeAll(async () => {
  [store, dataDir] = await Promise.all([startTestStore(), mkdtemp(join(tmpdir(), 'dunning-stripe-'))]);
  const routes = localWebhookRoutes(testComposition(store), secrets, silent);
  server = await serveRoutes(routes);
  lambda = paymentLambda(store, secrets, silent);
});

afterAll(async () => {
  await Promise.all([server?.stop(), store?.stop(), rm(dataDir, { recursive: true, force: true })]);
});

let posts = 0;
/** Posts a signed event, to the local server and to the Lambda handler in turn; the outcome it answered. */
const post = async (body: string): Promise<string> => {
  const headers = stripeHeaders(body, secrets.stripe);
  posts += 1;
  if (posts % 2) {
    const response = await fetch(`${server.url}/webhooks/stripe`, { method: 'POST', body, headers });
    expect(response.status).toBe(200);
    return ((await response.json()) as { outcome: string }).outcome;
  }
  const result = (await lambda({
    version: '2.0',
    rawPath: '/webhooks/stripe',
    headers,
    body: Buffer.from(body).toString('base64'),
    isBase64Encoded: true,
    requestContext: { http: { method: 'POST', path: '/webhooks/stripe' } },
  })) as APIGatewayProxyStructuredResultV2;
  expect(result.statusCode).toBe(200);
  return (JSON.parse(String(result.body)) as { outcome: string }).outcome;
};

/** `dunning show INVOICE --json` in this process, against the test store. */
const show = async (invoiceId: string) => {
  vi.stubEnv('DUNNING_DYNAMODB_PORT', String(store.port));
  vi.stubEnv('DUNNING_TABLE_NAME', store.tableName);
  vi.stubEnv('DUNNING_DATA_DIR', dataDir);
  vi.stubEnv('DUNNING_TARGET', 'local');
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    const code = await main(['node', 'dunning', 'show', invoiceId, '--json']);
    expect(code).toBe(0);
    return JSON.parse(stdout.mock.calls.map((call) => String(call[0])).join(''));
  } finally {
    stdout.mockRestore();
    vi.unstubAllEnvs();
    process.exitCode = undefined;
  }
};

const freshInvoice = async (overrides: Partial<Invoice> = {}) => {
  const invoice = anInvoice({ invoiceId: nextId('INV'), ...overrides });
  await seedInvoice(store, invoice, aCustomer({ customerId: invoice.customerId }));
  return invoice;
};

const charge = (family: StripeFamily, fields: Record<string, unknown>) =>
  stripeObject(family, 'charge', {
    captured: true,
    paid: true,
    status: 'succeeded',
    metadata: {},
    ...fields,
  });

describe.each(Object.values(STRIPE_FAMILIES))('Stripe API version $apiVersion', (family) => {
  it('counts a Checkout payment once across its session, PaymentIntent and Charge, and finds its refunds through them', async () => {
    const invoice = await freshInvoice({ currency: 'EUR', amountDue: 20_000 });
    const [cs, pi, ch] = [nextId('cs'), nextId('pi'), nextId('ch')];
    const session = stripeObject(family, 'checkout-session', {
      id: cs,
      status: 'complete',
      payment_status: 'paid',
      amount_subtotal: 12_000,
      amount_total: 12_000,
      currency: 'eur',
      client_reference_id: invoice.invoiceId,
      payment_intent: pi,
      metadata: {},
    });
    const intent = stripeObject(family, 'payment-intent', {
      id: pi,
      amount: 12_000,
      amount_received: 12_000,
      currency: 'eur',
      status: 'succeeded',
      latest_charge: ch,
      metadata: {},
    });
    const refunded = (to: number) =>
      charge(family, {
        id: ch,
        amount: 12_000,
        amount_captured: 12_000,
        amount_refunded: to,
        currency: 'eur',
        payment_intent: pi,
      });

    // Stripe retries an event with its own id: the fourth post is a redelivery of the first.
    const completed = stripeFixtureEvent(family, 'checkout.session.completed', session);
    const outcomes = [
      await post(completed),
      await post(stripeFixtureEvent(family, 'payment_intent.succeeded', intent)),
      await post(stripeFixtureEvent(family, 'charge.refunded', refunded(3_000))),
      await post(completed),
      await post(
        stripeFixtureEvent(family, 'charge.refunded', refunded(5_000), {
          previousAttributes: { amount_refunded: 3_000 },
        }),
      ),
    ];
    const shown = await show(invoice.invoiceId);

    expect(outcomes).toEqual(['applied', 'duplicate', 'applied', 'duplicate', 'applied']);
    // By hand: 200.00 due, 120.00 paid once, 30.00 then 20.00 refunded: 130.00 outstanding.
    expect(shown.invoice).toMatchObject({
      amountPaid: 7_000,
      outstanding: 13_000,
      status: 'open',
      credit: 0,
    });
    expect(
      shown.payments
        .map((p: Record<string, unknown>) => [p.kind, p.amount, p.applied, p.reason ?? null])
        .sort(),
    ).toEqual(
      [
        ['payment', 12_000, true, null],
        ['payment', 12_000, false, 'duplicate'],
        ['refund', 3_000, true, null],
        ['refund', 2_000, true, null],
      ].sort(),
    );
  });

  it('applies a Stripe Invoicing payment once and lets its refund, which came first, wait for it', async () => {
    const invoice = await freshInvoice({ currency: 'USD', amountDue: 20_000 });
    const [inv, pi, ch, inpay] = [nextId('in'), nextId('pi'), nextId('ch'), nextId('inpay')];
    const paidInvoice = stripeObject(family, 'invoice', {
      id: inv,
      status: 'paid',
      amount_due: 20_000,
      amount_paid: 20_000,
      amount_remaining: 0,
      currency: 'usd',
      metadata: { invoice_id: invoice.invoiceId },
      // Before basil an invoice names its PaymentIntent and Charge; after, its invoice payments do.
      ...(family.basil ? {} : { payment_intent: pi, charge: ch, paid: true }),
    });
    const refund = charge(family, {
      id: ch,
      amount: 20_000,
      amount_captured: 20_000,
      amount_refunded: 8_000,
      currency: 'usd',
      payment_intent: pi,
      ...(family.basil ? {} : { invoice: inv }),
    });
    const intent = stripeObject(family, 'payment-intent', {
      id: pi,
      amount: 20_000,
      amount_received: 20_000,
      currency: 'usd',
      status: 'succeeded',
      latest_charge: ch,
      metadata: {},
      ...(family.basil ? {} : { invoice: inv }),
    });
    // Invoice payments exist from basil on (the older fixtures have none).
    const invoicePayment = () =>
      stripeObject(family, 'invoice-payment', {
        id: inpay,
        invoice: inv,
        amount_paid: 20_000,
        amount_requested: 20_000,
        currency: 'usd',
        status: 'paid',
        payment: { type: 'payment_intent', payment_intent: pi },
      });

    const early = await post(stripeFixtureEvent(family, 'charge.refunded', refund));
    const whileWaiting = await show(invoice.invoiceId);
    const rest = family.basil
      ? [
          await post(stripeFixtureEvent(family, 'invoice_payment.paid', invoicePayment())),
          await post(stripeFixtureEvent(family, 'invoice.paid', paidInvoice)),
          await post(stripeFixtureEvent(family, 'payment_intent.succeeded', intent)),
        ]
      : [
          await post(stripeFixtureEvent(family, 'invoice.paid', paidInvoice)),
          await post(stripeFixtureEvent(family, 'payment_intent.succeeded', intent)),
        ];
    const shown = await show(invoice.invoiceId);

    expect(early).toBe('unmatched');
    // The waiting refund asks nothing more of the customer than the invoice's amount due.
    expect(whileWaiting.invoice).toMatchObject({ outstanding: 20_000, amountPaid: 0 });
    expect(rest).toEqual(family.basil ? ['unmatched', 'applied', 'duplicate'] : ['applied', 'duplicate']);
    // By hand: 200.00 paid once, 80.00 refunded: 80.00 outstanding.
    expect(shown.invoice).toMatchObject({ amountPaid: 12_000, outstanding: 8_000, status: 'open' });
    const counted = shown.payments.filter((p: { applied: boolean }) => p.applied);
    expect(counted.map((p: { kind: string; amount: number }) => [p.kind, p.amount]).sort()).toEqual([
      ['payment', 20_000],
      ['refund', 8_000],
    ]);
  });

  it("reads Stripe's own units: ISK in hundredths, MGA zero-decimal, and flags an ISK amount that is not whole", async () => {
    const isk = await freshInvoice({ currency: 'ISK', amountDue: 50_000 });
    const mga = await freshInvoice({ currency: 'MGA', amountDue: 10_000_000 });
    const odd = await freshInvoice({ currency: 'ISK', amountDue: 50_000 });
    const intent = (invoiceId: string, amount: number, currency: string) =>
      stripeObject(family, 'payment-intent', {
        id: nextId('pi'),
        amount,
        amount_received: amount,
        currency,
        status: 'succeeded',
        metadata: { invoice_id: invoiceId },
      });

    const outcomes = [
      await post(
        stripeFixtureEvent(family, 'payment_intent.succeeded', intent(isk.invoiceId, 5_000_000, 'isk')),
      ),
      await post(
        stripeFixtureEvent(family, 'payment_intent.succeeded', intent(mga.invoiceId, 100_000, 'mga')),
      ),
      await post(stripeFixtureEvent(family, 'payment_intent.succeeded', intent(odd.invoiceId, 4_050, 'isk'))),
    ];
    const [iskShown, mgaShown, oddShown] = [
      await show(isk.invoiceId),
      await show(mga.invoiceId),
      await show(odd.invoiceId),
    ];

    expect(outcomes).toEqual(['applied', 'applied', 'flagged']);
    // 50,000 króna is 5,000,000 in Stripe's units; 100,000 ariary is 10,000,000 ISO minor units.
    expect(iskShown.invoice).toMatchObject({ status: 'paid', outstanding: 0 });
    expect(mgaShown.invoice).toMatchObject({ status: 'paid', outstanding: 0 });
    expect(oddShown.invoice).toMatchObject({ outstanding: 50_000, flags: ['amount_inexact'] });
    expect(oddShown.payments).toEqual([
      expect.objectContaining({ applied: false, reason: 'amount_inexact', amount: 40 }),
    ]);
  });

  it('records an overpayment in full and shows the excess as a credit', async () => {
    const invoice = await freshInvoice({ currency: 'USD', amountDue: 20_000 });
    const intent = stripeObject(family, 'payment-intent', {
      id: nextId('pi'),
      amount: 25_000,
      amount_received: 25_000,
      currency: 'usd',
      status: 'succeeded',
      metadata: { invoice_id: invoice.invoiceId },
    });

    expect(await post(stripeFixtureEvent(family, 'payment_intent.succeeded', intent))).toBe('applied');
    const shown = await show(invoice.invoiceId);

    expect(shown.invoice).toMatchObject({
      status: 'paid',
      outstanding: 0,
      amountPaid: 25_000,
      credit: 5_000,
    });
  });
});
