import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createPaymentHandler } from '../../functions/payment/create-handler.ts';
import { outcomeObserver } from '../../functions/payment/observability.ts';
import { createWebhookReceiver } from '../../functions/payment/receive-webhook.ts';
import { LedgerReader } from '../../functions/shared/adapters/dynamodb/ledger-reader.ts';
import { WEBHOOK_SECRET_PLACEHOLDER } from '../../functions/shared/adapters/secrets/secret-format.ts';
import { startTestStore, type TestStore } from '../support/emulators.ts';
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
import { paymentLambda } from '../support/payment-hosts.ts';

let store: TestStore;
let reader: LedgerReader;
let handler: ReturnType<typeof paymentLambda>;
const secrets = testSecrets();
const silent = { info: () => {}, warn: () => {} };

beforeAll(async () => {
  store = await startTestStore();
  reader = new LedgerReader(store.documentClient, store.tableName);
  handler = paymentLambda(store, secrets, silent);
});

afterAll(async () => {
  await store?.stop();
});

/** A Lambda function URL event (payload format 2.0) as AWS delivers it. */
const urlEvent = (
  path: string,
  body: string | undefined,
  headers: Record<string, string>,
  options: { method?: string; base64?: boolean } = {},
) => ({
  version: '2.0',
  routeKey: '$default',
  rawPath: path,
  rawQueryString: '',
  headers: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value])),
  requestContext: {
    http: {
      method: options.method ?? 'POST',
      path,
      protocol: 'HTTP/1.1',
      sourceIp: '203.0.113.9',
      userAgent: 'Stripe/1.0',
    },
    requestId: 'req-1',
    timeEpoch: Date.now(),
  },
  ...(body === undefined
    ? {}
    : {
        body: options.base64 ? Buffer.from(body).toString('base64') : body,
        isBase64Encoded: options.base64 ?? false,
      }),
});

const invoke = async (event: unknown) => (await handler(event)) as APIGatewayProxyStructuredResultV2;

const freshInvoice = async () => {
  const invoice = anInvoice({ invoiceId: nextId('INV'), amountDue: 10_000 });
  await seedInvoice(store, invoice);
  return invoice;
};

describe('Payment Lambda behind its function URL', () => {
  it('applies a Stripe payment from a base64 body and answers a repeat with 2xx, once applied', async () => {
    const invoice = await freshInvoice();
    const body = stripeEventBody('payment_intent.succeeded', {
      id: 'pi_1',
      amount_received: 10_000,
      currency: 'usd',
      metadata: { invoice_id: invoice.invoiceId },
    });
    const event = urlEvent('/webhooks/stripe', body, stripeHeaders(body, secrets.stripe), { base64: true });

    const first = await invoke(event);
    const again = await invoke(event);

    expect(first).toMatchObject({
      statusCode: 200,
      body: JSON.stringify({ received: true, outcome: 'applied' }),
    });
    expect(again).toMatchObject({
      statusCode: 200,
      body: JSON.stringify({ received: true, outcome: 'duplicate' }),
    });
    const stored = await reader.getInvoice(invoice.invoiceId);
    expect(stored).toMatchObject({ status: 'paid', amountReceived: 10_000 });
    expect(stored?.nextActionAt).toBeUndefined();
  });

  it('applies a Standard Webhooks refund of a payment from a plain body', async () => {
    const invoice = await freshInvoice();
    const paid = standardBody('payment.succeeded', {
      invoiceId: invoice.invoiceId,
      amount: 10_000,
      paymentId: 'pay_l1',
    });
    const refund = standardBody('payment.refunded', {
      invoiceId: invoice.invoiceId,
      amount: 1_500,
      paymentId: 'pay_l1',
    });

    await invoke(urlEvent('/webhooks/payments', paid, standardHeaders(paid, secrets.payments)));
    const response = await invoke(
      urlEvent('/webhooks/payments', refund, standardHeaders(refund, secrets.payments)),
    );

    expect(response.statusCode).toBe(200);
    expect(await reader.getInvoice(invoice.invoiceId)).toMatchObject({
      amountReceived: 8_500,
      status: 'open',
    });
  });

  it('answers 401, 400, 405, 404 and 413 as docs/webhooks.md says, never a 5xx', async () => {
    const body = standardBody('payment.succeeded', { invoiceId: 'INV-X', amount: 1 });
    const signed = standardHeaders(body, secrets.payments);
    const malformed = '{"type":"payment.succeeded"}';
    const big = 'x'.repeat(256 * 1024 + 1);

    const statuses = [
      await invoke(urlEvent('/webhooks/payments', body, { ...signed, 'webhook-signature': 'v1,AAAA' })),
      await invoke(
        urlEvent('/webhooks/payments', body, standardHeaders(body, secrets.payments, { at: new Date(0) })),
      ),
      await invoke(urlEvent('/webhooks/payments', malformed, standardHeaders(malformed, secrets.payments))),
      await invoke(urlEvent('/webhooks/stripe', undefined, {}, { method: 'GET' })),
      await invoke(urlEvent('/webhooks/other', body, signed)),
      await invoke(
        urlEvent('/webhooks/payments', big, standardHeaders(big, secrets.payments), { base64: true }),
      ),
      await invoke({ not: 'a function URL event' }),
    ].map((response) => response.statusCode);

    expect(statuses).toEqual([401, 401, 400, 405, 404, 413, 400]);
  });
});

describe('Payment Lambda with one provider not configured', () => {
  const build = (configured: { stripe: string; payments: string }, logged: string[]) =>
    createPaymentHandler({
      receive: createWebhookReceiver({
        secrets: async () => configured,
        record: async () => 'applied',
        observe: outcomeObserver(silent),
        logger: {
          warn: () => {},
          error: (message, attributes) => logged.push(JSON.stringify({ message, ...attributes })),
        },
      }),
    });

  it.each([
    ['the placeholder', WEBHOOK_SECRET_PLACEHOLDER, 'placeholder'],
    ['empty', '', 'missing'],
    ['malformed', 'sk_test_not_a_webhook_secret', 'malformed'],
  ])('answers 503 on the Stripe route whose secret is %s, even to a body signed with that value; the other route works', async (_, value, problem) => {
    const logged: string[] = [];
    const invoke503 = build({ stripe: value, payments: secrets.payments }, logged);
    const body = stripeEventBody('payment_intent.succeeded', {
      id: 'pi_x',
      amount_received: 1,
      currency: 'usd',
      metadata: { invoice_id: 'INV-X' },
    });
    const standard = standardBody('payment.succeeded', { invoiceId: 'INV-X', amount: 1 });

    const stripe = (await invoke503(
      urlEvent('/webhooks/stripe', body, stripeHeaders(body, value || 'x')),
    )) as APIGatewayProxyStructuredResultV2;
    const other = (await invoke503(
      urlEvent('/webhooks/payments', standard, standardHeaders(standard, secrets.payments)),
    )) as APIGatewayProxyStructuredResultV2;

    expect([stripe.statusCode, JSON.parse(String(stripe.body))]).toEqual([
      503,
      { error: 'Stripe webhook secret not configured' },
    ]);
    expect(other.statusCode).toBe(200);
    expect(logged.map((line) => JSON.parse(line))).toEqual([
      { message: 'webhook secret not configured', provider: 'stripe', secret: 'stripe', problem },
    ]);
    if (value) expect(logged.join('')).not.toContain(value);
  });

  it('answers 503 on the Standard Webhooks route whose key is not base64 of 24 to 64 bytes', async () => {
    const logged: string[] = [];
    const weak = `whsec_${Buffer.from('short').toString('base64')}`;
    const body = standardBody('payment.succeeded', { invoiceId: 'INV-X', amount: 1 });

    const response = (await build(
      { stripe: secrets.stripe, payments: weak },
      logged,
    )(
      urlEvent('/webhooks/payments', body, standardHeaders(body, weak)),
    )) as APIGatewayProxyStructuredResultV2;

    expect([response.statusCode, JSON.parse(String(response.body))]).toEqual([
      503,
      { error: 'Standard Webhooks secret not configured' },
    ]);
    expect(logged).toHaveLength(1);
  });
});

describe('Payment Lambda module at cold start', () => {
  it('reads its secrets from Secrets Manager once, records through the table and logs one line per event', async () => {
    const arn = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:dunning-webhooks-Xy12Ab';
    const secretsManager = mockClient(SecretsManagerClient);
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify(secrets) });
    vi.stubEnv('DUNNING_TABLE_NAME', store.tableName);
    vi.stubEnv('DUNNING_WEBHOOK_SECRETS_ARN', arn);
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', `http://127.0.0.1:${store.port}`);
    vi.stubEnv('AWS_REGION', 'us-east-1');
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'local');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'local');
    const written: string[] = [];
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    const invoice = await freshInvoice();
    const body = standardBody('payment.succeeded', { invoiceId: invoice.invoiceId, amount: 2_000 });
    const headers = standardHeaders(body, secrets.payments, { id: 'msg_cold' });

    try {
      const { handler: coldHandler } = await import('../../functions/payment/handler.ts');
      const first = (await coldHandler(
        urlEvent('/webhooks/payments', body, headers),
      )) as APIGatewayProxyStructuredResultV2;
      const second = (await coldHandler(
        urlEvent('/webhooks/payments', body, headers),
      )) as APIGatewayProxyStructuredResultV2;

      expect([first.statusCode, second.statusCode]).toEqual([200, 200]);
    } finally {
      stdout.mockRestore();
      vi.unstubAllEnvs();
      secretsManager.restore();
    }

    expect(secretsManager).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);
    expect(secretsManager).toHaveReceivedCommandWith(GetSecretValueCommand, { SecretId: arn });
    expect((await reader.getInvoice(invoice.invoiceId))?.amountReceived).toBe(2_000);
    const lines = written
      .flatMap((chunk) => chunk.split('\n'))
      .filter(Boolean)
      .map((line) => JSON.parse(line));
    const eventLines = lines.filter((line) => line.message === 'webhook event');
    expect(eventLines.map((line) => [line.eventId, line.outcome, line.level, line.service])).toEqual([
      ['standard:msg_cold', 'applied', 'INFO', 'dunning-payments'],
      ['standard:msg_cold', 'duplicate', 'INFO', 'dunning-payments'],
    ]);
    expect(
      lines
        .filter((line) => line._aws)
        .map((line) => Object.keys(line).filter((key) => key.startsWith('webhook_'))),
    ).toEqual([['webhook_applied'], ['webhook_duplicate']]);
    expect(written.join('')).not.toContain(secrets.payments);
  });
});
