import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHttpServer } from '../../cli/http/server.ts';
import { createPaymentHandler } from '../../functions/payment/create-handler.ts';
import { createOptOutReceiver } from '../../functions/payment/opt-out.ts';
import { LedgerReader } from '../../functions/shared/adapters/dynamodb/ledger-reader.ts';
import { wireCustomerCare } from '../../functions/shared/composition/customer-care.ts';
import { optOutToken } from '../../functions/shared/domain/customer-care/opt-out-token.ts';
import { startTestStore, type TestStore } from '../support/emulators.ts';
import { indexEmails, serveCareRoutes, sesEvent } from './care-support.ts';
import { customer, policy, seed } from './run-support.ts';

const SECRET = 'local-opt-out-secret-0123456789abcdefgh';
const silent = { info: () => {}, warn: () => {} };
const people = ['alice', 'bob', 'carol', 'dave', 'erin', 'lambda'].map((id) => customer(id));

let store: TestStore;
let server: RunningHttpServer;
let reader: LedgerReader;

beforeAll(async () => {
  store = await startTestStore();
  await seed(store, people, []);
  await indexEmails(store, people);
  reader = new LedgerReader(store.documentClient, store.tableName);
  server = await serveCareRoutes(store, SECRET);
});
afterAll(async () => {
  await server?.stop();
  await store?.stop();
});

const link = (customerId: string, token = optOutToken(SECRET, customerId)) =>
  `${server.url}/optout?customer=${encodeURIComponent(customerId)}&token=${token}`;
const oneClick = { 'content-type': 'application/x-www-form-urlencoded' };
const statusOf = async (customerId: string) => (await reader.getCustomer(customerId))?.status;

describe('One-click opt-out on the local server', () => {
  it('shows a confirmation page on GET and changes nothing (mail clients prefetch links)', async () => {
    const response = await fetch(link('alice'));
    const html = await response.text();

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(html).toContain('<form method="post"');
    expect(html).toContain('name="List-Unsubscribe" value="One-Click"');
    expect(await statusOf('alice')).toBe('active');
  });

  it('opts the customer out on POST List-Unsubscribe=One-Click, without a login, and records when', async () => {
    const response = await fetch(link('alice'), {
      method: 'POST',
      headers: oneClick,
      body: 'List-Unsubscribe=One-Click',
    });
    const again = await fetch(link('alice'), {
      method: 'POST',
      headers: oneClick,
      body: 'List-Unsubscribe=One-Click',
    });

    expect(response.status).toBe(200);
    expect(again.status).toBe(200);
    expect(await statusOf('alice')).toBe('opted_out');
    const history = await wireCustomerCare({
      client: store.documentClient,
      tableName: store.tableName,
      policy,
      defaultTimeZone: 'UTC',
    }).history('alice');
    expect(history).toEqual([expect.objectContaining({ action: 'opted_out', by: 'customer' })]);
  });

  it('answers 403 to a forged, missing or other customer’s token and changes nothing', async () => {
    const forged = await fetch(link('bob', optOutToken('guessed-secret-guessed-secret-guessed', 'bob')), {
      method: 'POST',
      headers: oneClick,
      body: 'List-Unsubscribe=One-Click',
    });
    const missing = await fetch(`${server.url}/optout?customer=bob`, {
      method: 'POST',
      headers: oneClick,
      body: 'List-Unsubscribe=One-Click',
    });
    const carolsTokenForBob = await fetch(link('bob', optOutToken(SECRET, 'carol')), {
      method: 'POST',
      headers: oneClick,
      body: 'List-Unsubscribe=One-Click',
    });
    const forgedPage = await fetch(link('bob', 'AAAA'));

    expect([forged.status, missing.status, carolsTokenForBob.status, forgedPage.status]).toEqual([
      403, 403, 403, 403,
    ]);
    expect(await statusOf('bob')).toBe('active');
    expect(await statusOf('carol')).toBe('active');
  });

  it('answers 400 to a POST without the one-click body and 405 to other methods', async () => {
    const noBody = await fetch(link('carol'), { method: 'POST' });
    const put = await fetch(link('carol'), { method: 'PUT' });

    expect(noBody.status).toBe(400);
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toContain('POST');
    expect(await statusOf('carol')).toBe('active');
  });

  it('answers HEAD like GET, changing nothing, and 404 to a genuine link of a customer no longer in the store', async () => {
    const head = await fetch(link('carol'), { method: 'HEAD' });
    // A link signed for a customer the store does not hold (removed since the email went out).
    const gone = await fetch(link('zoe'), {
      method: 'POST',
      headers: oneClick,
      body: 'List-Unsubscribe=One-Click',
    });

    expect(head.status).toBe(200);
    expect(await statusOf('carol')).toBe('active');
    expect(gone.status).toBe(404);
    expect(await statusOf('zoe')).toBeUndefined();
  });
});

describe('POST /mail-events on the local server', () => {
  const post = (body: unknown) =>
    fetch(`${server.url}/mail-events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it('marks the customer bounced on a hard bounce and opted out on a complaint', async () => {
    const bounce = await post(sesEvent('Permanent', 'dave@customer.example'));
    const complaint = await post(sesEvent('Complaint', 'erin@customer.example'));

    expect(bounce.status).toBe(200);
    expect(await bounce.json()).toMatchObject({
      received: true,
      recipients: [{ action: 'bounced', customers: [{ customerId: 'dave', outcome: 'changed' }] }],
    });
    expect(complaint.status).toBe(200);
    expect(await statusOf('dave')).toBe('bounced');
    expect(await statusOf('erin')).toBe('opted_out');
  });

  it('answers 400 to a body that is not JSON or not an SES bounce or complaint', async () => {
    const notJson = await post('{');
    const delivery = await post({
      ...sesEvent('Permanent', 'bob@customer.example'),
      detail: { eventType: 'Delivery' },
    });

    expect(notJson.status).toBe(400);
    expect(delivery.status).toBe(400);
    expect(((await delivery.json()) as { error: string }).error).toMatch(
      /not an SES bounce or complaint event/,
    );
    expect(await statusOf('bob')).toBe('active');
  });

  it('accepts an event for an address no customer has, changing nothing', async () => {
    const response = await post(sesEvent('Permanent', 'stranger@elsewhere.example'));

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ recipients: [{ action: 'bounced', customers: [] }] });
  });
});

describe('One-click opt-out on the payment function URL', () => {
  const urlEvent = (method: string, customerId: string, body?: string) => ({
    version: '2.0',
    routeKey: '$default',
    rawPath: '/optout',
    rawQueryString: `customer=${customerId}&token=${optOutToken(SECRET, customerId)}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded', host: 'abc.lambda-url.eu-west-1.on.aws' },
    requestContext: { http: { method, path: '/optout', sourceIp: '203.0.113.9' } },
    // Function URLs hand form bodies over base64-encoded.
    ...(body === undefined ? {} : { body: Buffer.from(body).toString('base64'), isBase64Encoded: true }),
  });

  it('serves the page on GET and opts out on POST through the same receiver', async () => {
    const care = wireCustomerCare({
      client: store.documentClient,
      tableName: store.tableName,
      policy,
      defaultTimeZone: 'UTC',
    });
    const handler = createPaymentHandler({
      receive: async () => ({ status: 404, body: { error: 'not found' } }),
      optOut: createOptOutReceiver({
        secret: async () => SECRET,
        companyName: 'Northwind Supplies Ltd',
        care,
        logger: silent,
      }),
    });

    const page = (await handler(urlEvent('GET', 'lambda'))) as APIGatewayProxyStructuredResultV2;
    const before = await statusOf('lambda');
    const posted = (await handler(
      urlEvent('POST', 'lambda', 'List-Unsubscribe=One-Click'),
    )) as APIGatewayProxyStructuredResultV2;

    expect(page.statusCode).toBe(200);
    expect(page.headers?.['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('Stop payment reminders');
    expect(before).toBe('active');
    expect(posted.statusCode).toBe(200);
    expect(await statusOf('lambda')).toBe('opted_out');
  });
});
