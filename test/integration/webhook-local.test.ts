import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHttpServer } from '../../cli/http/server.ts';
import { localWebhookRoutes } from '../../cli/http/webhook-routes.ts';
import { outcomeObserver } from '../../functions/payment/observability.ts';
import { dueShardOf } from '../../functions/shared/adapters/dynamodb/keys.ts';
import { LedgerReader } from '../../functions/shared/adapters/dynamodb/ledger-reader.ts';
import type { PaymentRecorder } from '../../functions/shared/composition/payments.ts';
import { outstanding } from '../../functions/shared/domain/model.ts';
import { testComposition } from '../support/composition.ts';
import { startTestStore, type TestStore } from '../support/emulators.ts';
import { serveRoutes } from '../support/local-server.ts';
import {
  anInvoice,
  nextId,
  seedInvoice,
  standardBody,
  standardHeaders,
  stripeEventBody,
  stripeHeaders,
  testSecrets,
} from '../support/payment-fixtures.ts';
import { testRecorder } from '../support/payment-hosts.ts';

let store: TestStore;
let server: RunningHttpServer;
let recorder: PaymentRecorder;
let reader: LedgerReader;
const secrets = testSecrets();
const logLines: string[] = [];
const logger = {
  info: (message: string, attributes: Record<string, string>) =>
    logLines.push(JSON.stringify({ message, ...attributes })),
  warn: (message: string, attributes: Record<string, string>) =>
    logLines.push(JSON.stringify({ message, ...attributes })),
  error: (message: string, attributes: Record<string, string>) =>
    logLines.push(JSON.stringify({ message, ...attributes })),
};

beforeAll(async () => {
  store = await startTestStore();
  recorder = testRecorder(store, { observe: outcomeObserver(logger) });
  reader = new LedgerReader(store.documentClient, store.tableName);
  // The routes exactly as `dunning dev` mounts them.
  const routes = localWebhookRoutes(testComposition(store), secrets, logger);
  server = await serveRoutes(routes);
});

afterAll(async () => {
  await server?.stop();
  await store?.stop();
});

const post = async (path: string, body: string, headers: Record<string, string>, method = 'POST') => {
  const response = await fetch(`${server.url}${path}`, {
    method,
    body: method === 'GET' ? undefined : body,
    headers,
  });
  return { status: response.status, text: await response.text() };
};

const postStripe = (body: string, secret = secrets.stripe) =>
  post('/webhooks/stripe', body, stripeHeaders(body, secret));

const postStandard = (body: string, options: { id?: string; at?: Date; secret?: string } = {}) =>
  post('/webhooks/payments', body, standardHeaders(body, options.secret ?? secrets.payments, options));

const freshInvoice = async (overrides: Parameters<typeof anInvoice>[0] = {}) => {
  const invoice = anInvoice({ invoiceId: nextId('INV'), ...overrides });
  await seedInvoice(store, invoice);
  return invoice;
};

const stateOf = async (invoiceId: string) => {
  const invoice = await reader.getInvoice(invoiceId);
  if (!invoice) throw new Error(`invoice ${invoiceId} missing`);
  return {
    invoice,
    outstanding: outstanding(invoice),
    payments: await recorder.ledger.listPayments(invoice),
  };
};

const inDueIndex = async (invoiceId: string) => {
  const { Items = [] } = await store.documentClient.send(
    new QueryCommand({
      TableName: store.tableName,
      IndexName: 'due',
      KeyConditionExpression: 'dueShard = :shard',
      ExpressionAttributeValues: { ':shard': dueShardOf(invoiceId) },
    }),
  );
  return Items.some((item) => item.pk === `INVOICE#${invoiceId}`);
};

describe('Stripe webhooks on the local server', () => {
  it('applies each payment event type docs/webhooks.md lists', async () => {
    const invoice = await freshInvoice({ amountDue: 10_000 });
    const ref = { metadata: { invoice_id: invoice.invoiceId } };

    const responses = [
      await postStripe(
        stripeEventBody('checkout.session.completed', {
          id: 'cs_1',
          payment_status: 'paid',
          amount_total: 1_000,
          currency: 'usd',
          client_reference_id: invoice.invoiceId,
          payment_intent: 'pi_a',
        }),
      ),
      await postStripe(
        stripeEventBody('payment_intent.succeeded', {
          id: 'pi_b',
          amount_received: 2_000,
          currency: 'usd',
          ...ref,
        }),
      ),
      await postStripe(
        stripeEventBody('invoice.paid', { id: 'in_c', amount_paid: 3_000, currency: 'usd', ...ref }),
      ),
      await postStripe(
        stripeEventBody(
          'charge.refunded',
          { id: 'ch_b', amount_refunded: 500, currency: 'usd', payment_intent: 'pi_b', ...ref },
          { previousAttributes: { amount_refunded: 0 } },
        ),
      ),
    ];

    expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200]);
    const state = await stateOf(invoice.invoiceId);
    expect(state.outstanding).toBe(10_000 - 1_000 - 2_000 - 3_000 + 500);
    const recorded = state.payments.map((payment) => [payment.kind, payment.amount, payment.applied]);
    expect(recorded).toHaveLength(4);
    expect(recorded).toEqual(
      expect.arrayContaining([
        ['payment', 1_000, true],
        ['payment', 2_000, true],
        ['payment', 3_000, true],
        ['refund', 500, true],
      ]),
    );
  });

  it('answers 2xx to a repeated event and applies it once', async () => {
    const invoice = await freshInvoice();
    const body = stripeEventBody('invoice.paid', {
      id: 'in_1',
      amount_paid: 4_000,
      currency: 'usd',
      metadata: { invoice_id: invoice.invoiceId },
    });

    const first = await postStripe(body);
    const again = await postStripe(body);

    expect([first.status, again.status]).toEqual([200, 200]);
    expect(JSON.parse(again.text)).toEqual({ received: true, outcome: 'duplicate' });
    const state = await stateOf(invoice.invoiceId);
    expect(state.invoice.amountReceived).toBe(4_000);
    expect(state.payments).toHaveLength(1);
    expect(state.invoice.version).toBe(invoice.version + 1);
  });

  it('counts a Checkout payment once when its PaymentIntent event reports it too', async () => {
    const invoice = await freshInvoice();
    const ref = { metadata: { invoice_id: invoice.invoiceId } };

    await postStripe(
      stripeEventBody('payment_intent.succeeded', {
        id: 'pi_same',
        amount_received: 2_500,
        currency: 'usd',
        ...ref,
      }),
    );
    const checkout = await postStripe(
      stripeEventBody('checkout.session.completed', {
        id: 'cs_same',
        payment_status: 'paid',
        amount_total: 2_500,
        currency: 'usd',
        payment_intent: 'pi_same',
        ...ref,
      }),
    );

    expect(JSON.parse(checkout.text)).toEqual({ received: true, outcome: 'duplicate' });
    const state = await stateOf(invoice.invoiceId);
    expect(state.invoice.amountReceived).toBe(2_500);
    expect(state.payments).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ amount: 2_500, applied: true }),
        expect.objectContaining({ amount: 2_500, applied: false, reason: 'duplicate' }),
      ]),
    );
  });

  it('answers 2xx to an event type dunning does not use and records nothing', async () => {
    const response = await postStripe(stripeEventBody('customer.created', { id: 'cus_1' }));

    expect(response.status).toBe(200);
    expect(JSON.parse(response.text)).toEqual({ received: true, outcome: 'ignored' });
  });

  it('answers 401 to a wrong secret, a missing header and a timestamp outside the tolerance either way', async () => {
    const invoice = await freshInvoice();
    const body = stripeEventBody('invoice.paid', {
      id: 'in_1',
      amount_paid: 100,
      currency: 'usd',
      metadata: { invoice_id: invoice.invoiceId },
    });

    const wrong = await postStripe(body, testSecrets().stripe);
    const missing = await post('/webhooks/stripe', body, { 'content-type': 'application/json' });
    const stale = await post(
      '/webhooks/stripe',
      body,
      stripeHeaders(body, secrets.stripe, Math.floor(Date.now() / 1000) - 301),
    );
    const ahead = await post(
      '/webhooks/stripe',
      body,
      stripeHeaders(body, secrets.stripe, Math.floor(Date.now() / 1000) + 360),
    );

    expect([wrong.status, missing.status, stale.status, ahead.status]).toEqual([401, 401, 401, 401]);
    expect((await stateOf(invoice.invoiceId)).invoice.amountReceived).toBe(0);
  });

  it('answers 400 with a short reason to a signed body that is not valid', async () => {
    const notJson = '{"id": "evt_1", ';
    const badAmount = stripeEventBody('invoice.paid', { id: 'in_1', amount_paid: '12.50', currency: 'usd' });

    const first = await postStripe(notJson);
    const second = await postStripe(badAmount);

    expect(first).toEqual({ status: 400, text: JSON.stringify({ error: 'invalid body: body is not JSON' }) });
    expect(second.status).toBe(400);
    expect(JSON.parse(second.text).error).toMatch(/^invalid body: data\.object\.amount_paid: /);
  });
});

describe('Standard Webhooks on the local server', () => {
  it('applies a partial then a full payment: paid, and gone from the due index', async () => {
    const invoice = await freshInvoice({ amountDue: 10_000 });
    expect(await inDueIndex(invoice.invoiceId)).toBe(true);

    await postStandard(standardBody('payment.succeeded', { invoiceId: invoice.invoiceId, amount: 3_000 }));
    const partial = await stateOf(invoice.invoiceId);
    const partialInIndex = await inDueIndex(invoice.invoiceId);
    await postStandard(standardBody('payment.succeeded', { invoiceId: invoice.invoiceId, amount: 7_000 }));

    expect(partial.invoice.status).toBe('open');
    expect(partial.outstanding).toBe(7_000);
    expect(partialInIndex).toBe(true);
    const paid = await stateOf(invoice.invoiceId);
    expect(paid.invoice.status).toBe('paid');
    expect(paid.outstanding).toBe(0);
    expect(paid.invoice.nextActionAt).toBeUndefined();
    expect(await inDueIndex(invoice.invoiceId)).toBe(false);
  });

  it('converges when the refund arrives before its payment, and puts a refunded invoice back on schedule', async () => {
    const invoice = await freshInvoice({ amountDue: 5_000 });
    const payment = standardBody('payment.succeeded', {
      invoiceId: invoice.invoiceId,
      amount: 5_000,
      paymentId: 'p1',
    });
    const refund = standardBody('payment.refunded', {
      invoiceId: invoice.invoiceId,
      amount: 2_000,
      paymentId: 'p1',
    });

    await postStandard(refund, { id: 'msg_refund' });
    await postStandard(payment, { id: 'msg_pay' });
    await postStandard(refund, { id: 'msg_refund' });

    const state = await stateOf(invoice.invoiceId);
    expect(state.invoice.amountReceived).toBe(3_000);
    expect(state.outstanding).toBe(2_000);
    expect(state.invoice.status).toBe('open');
    expect(await inDueIndex(invoice.invoiceId)).toBe(true);
    expect(state.payments.map((p) => [p.paymentId, p.kind, p.applied])).toEqual(
      expect.arrayContaining([
        ['standard:msg_refund', 'refund', true],
        ['standard:msg_pay', 'payment', true],
      ]),
    );
  });

  it('records a payment in another currency flagged, applies nothing and leaves the invoice for the run to skip', async () => {
    const invoice = await freshInvoice();

    const response = await postStandard(
      standardBody('payment.succeeded', { invoiceId: invoice.invoiceId, amount: 10_000, currency: 'EUR' }),
    );

    expect(JSON.parse(response.text)).toEqual({ received: true, outcome: 'flagged' });
    const state = await stateOf(invoice.invoiceId);
    expect(state.invoice.amountReceived).toBe(0);
    expect(state.invoice.flags).toEqual(['currency_mismatch']);
    expect(state.payments).toEqual([
      expect.objectContaining({ currency: 'EUR', amount: 10_000, applied: false, flag: 'currency_mismatch' }),
    ]);
    expect(await inDueIndex(invoice.invoiceId)).toBe(true);
  });

  it('keeps an event for an unknown invoice as unmatched and applies it once the invoice is imported', async () => {
    const invoiceId = nextId('INV');
    const body = standardBody('payment.succeeded', { invoiceId, amount: 10_000 });

    const first = await postStandard(body, { id: 'msg_early' });
    const again = await postStandard(body, { id: 'msg_early' });
    const listed = await recorder.unmatched.listAll();
    await seedInvoice(store, anInvoice({ invoiceId, amountDue: 10_000 }));
    const applied = await recorder.applyUnmatchedPayments(invoiceId);
    const appliedAgain = await recorder.applyUnmatchedPayments(invoiceId);

    expect(JSON.parse(first.text)).toEqual({ received: true, outcome: 'unmatched' });
    expect(again.status).toBe(200);
    expect(listed.filter((event) => event.invoiceId === invoiceId)).toHaveLength(1);
    expect(applied).toEqual([{ eventId: 'standard:msg_early', outcome: 'applied' }]);
    expect(appliedAgain).toEqual([]);
    const state = await stateOf(invoiceId);
    expect(state.invoice.status).toBe('paid');
    expect(state.payments).toEqual([
      expect.objectContaining({ paymentId: 'standard:msg_early', applied: true }),
    ]);
    expect(await recorder.unmatched.list(invoiceId)).toEqual([]);
  });

  it('accepts one of several signatures during a secret rotation', async () => {
    const invoice = await freshInvoice();
    const body = standardBody('payment.succeeded', { invoiceId: invoice.invoiceId, amount: 100 });
    const headers = standardHeaders(body, secrets.payments, { id: 'msg_rotated' });
    const old = standardHeaders(body, testSecrets().payments, { id: 'msg_rotated' })['webhook-signature'];

    const response = await post('/webhooks/payments', body, {
      ...headers,
      'webhook-signature': `${old} ${headers['webhook-signature']}`,
    });

    expect(response.status).toBe(200);
  });

  it('answers 401 to a wrong signature and to a timestamp outside the tolerance', async () => {
    const invoice = await freshInvoice();
    const body = standardBody('payment.succeeded', { invoiceId: invoice.invoiceId, amount: 100 });

    const wrong = await postStandard(body, { secret: testSecrets().payments });
    const stale = await postStandard(body, { at: new Date(Date.now() - 10 * 60_000) });
    const missing = await post('/webhooks/payments', body, { 'content-type': 'application/json' });

    expect([wrong.status, stale.status, missing.status]).toEqual([401, 401, 401]);
  });

  it('answers 400 to a signed body with a float amount', async () => {
    const body = JSON.stringify({
      type: 'payment.succeeded',
      data: {
        invoiceId: 'X',
        paymentId: 'p',
        amount: 10.5,
        currency: 'USD',
        occurredAt: new Date().toISOString(),
      },
    });

    const response = await postStandard(body);

    expect(response.status).toBe(400);
    expect(JSON.parse(response.text).error).toMatch(/^invalid body: data\.amount: /);
  });
});

describe('Hostile requests on the local server', () => {
  it('answers 413 to a body over 256 KiB, with and without Content-Length', async () => {
    const big = JSON.stringify({ type: 'payment.succeeded', padding: 'x'.repeat(256 * 1024) });
    const chunked = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(big));
        controller.close();
      },
    });

    const sized = await postStandard(big);
    const streamed = await fetch(`${server.url}/webhooks/payments`, {
      method: 'POST',
      body: chunked,
      duplex: 'half',
      headers: standardHeaders('{}', secrets.payments),
    } as RequestInit);

    expect(sized.status).toBe(413);
    expect(streamed.status).toBe(413);
  });

  it('reads a signed body sent without Content-Length (chunked) and applies it', async () => {
    const invoice = await freshInvoice({ amountDue: 10_000 });
    const body = standardBody('payment.succeeded', { invoiceId: invoice.invoiceId, amount: 2_500 });
    const bytes = new TextEncoder().encode(body);
    const chunked = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.subarray(0, 10));
        controller.enqueue(bytes.subarray(10));
        controller.close();
      },
    });

    const response = await fetch(`${server.url}/webhooks/payments`, {
      method: 'POST',
      body: chunked,
      duplex: 'half',
      headers: standardHeaders(body, secrets.payments),
    } as RequestInit);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: true, outcome: 'applied' });
    expect((await stateOf(invoice.invoiceId)).outstanding).toBe(7_500);
  });

  it('answers 405 to another method and 404 to another path', async () => {
    const get = await post('/webhooks/stripe', '', {}, 'GET');
    const put = await post('/webhooks/payments', '{}', {}, 'PUT');
    const unknown = await post('/webhooks/paypal', '{}', {});

    expect([get.status, put.status, unknown.status]).toEqual([405, 405, 404]);
  });

  it('never reveals a secret, a signature or a stack trace in a response or a log line', async () => {
    const body = '{"type": "payment.succeeded", "data": {}}';
    const headers = standardHeaders(body, secrets.payments);
    const stripeBody = stripeEventBody('invoice.paid', { id: 'in_1', amount_paid: -1, currency: 'usd' });
    const stripeSig = stripeHeaders(stripeBody, secrets.stripe);

    const responses = [
      await post('/webhooks/payments', body, headers),
      await post('/webhooks/payments', body, { ...headers, 'webhook-signature': 'v1,garbage' }),
      await post('/webhooks/stripe', stripeBody, stripeSig),
      await post('/webhooks/stripe', stripeBody, { 'stripe-signature': 't=abc,v1=zz' }),
    ];

    const everything = [...responses.map((response) => response.text), ...logLines].join('\n');
    expect(responses.map((response) => response.status)).toEqual([400, 401, 400, 401]);
    for (const secret of [secrets.stripe, secrets.payments, secrets.payments.slice(6)])
      expect(everything).not.toContain(secret);
    expect(everything).not.toContain(headers['webhook-signature'].slice(3));
    expect(everything).not.toContain(stripeSig['stripe-signature']);
    expect(everything).not.toContain('    at ');
  });

  it('writes one log line per recorded event with its id, type and outcome', async () => {
    const invoice = await freshInvoice();
    await postStandard(standardBody('payment.succeeded', { invoiceId: invoice.invoiceId, amount: 1 }), {
      id: 'msg_logged',
    });

    const lines = logLines
      .map((line) => JSON.parse(line))
      .filter((line) => line.eventId === 'standard:msg_logged');

    expect(lines).toEqual([
      {
        message: 'webhook event',
        eventId: 'standard:msg_logged',
        provider: 'standard',
        type: 'payment.succeeded',
        outcome: 'applied',
        invoiceId: invoice.invoiceId,
      },
    ]);
  });
});
