import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHttpServer } from '../../cli/http/server.ts';
import { createRespondHandler } from '../../functions/respond/function-url.ts';
import { customerKey, invoiceKey } from '../../functions/shared/adapters/dynamodb/keys.ts';
import { itemToInvoice } from '../../functions/shared/adapters/dynamodb/ledger-items.ts';
import { createSendingClient } from '../../functions/shared/adapters/ses/client.ts';
import { SesMailer } from '../../functions/shared/adapters/ses/mailer.ts';
import { createRespond } from '../../functions/shared/composition/respond.ts';
import { signAnswerLink, verifyAnswerLink } from '../../functions/shared/domain/answers/link-token.ts';
import { addDays, localDate } from '../../functions/shared/domain/calendar.ts';
import { startTestMailbox, startTestStore, type TestMailbox, type TestStore } from '../support/emulators.ts';
import { remindWithAnswerLinks, serveRespondPage } from './respond-support.ts';
import { buildRun, customer, invoice, policy, SES_ACCOUNT, seed, settings } from './run-support.ts';

const KEY = 'answer-link-key-for-integration-0123456789';
const ZONE = 'Europe/Berlin';
const people = [customer('hana', { locale: 'de-DE' }), customer('ivo')];
const bills = [invoice('R-1', 'hana'), invoice('R-2', 'hana', { amountDue: 80_00 }), invoice('S-1', 'ivo')];
/** A Tuesday in business hours: the first run reminds everyone of the invoices due 2026-03-01. */
const FIRST_RUN = new Date('2026-03-03T09:00:00Z');
const form = { 'content-type': 'application/x-www-form-urlencoded' };

let store: TestStore;
let mailbox: TestMailbox;
let server: RunningHttpServer;

const readInvoice = async (id: string) => {
  const { Item } = await store.documentClient.send(
    new GetCommand({ TableName: store.tableName, Key: invoiceKey(id), ConsistentRead: true }),
  );
  return itemToInvoice(Item ?? {});
};
const answerItems = async (customerId: string) =>
  (
    await store.documentClient.send(
      new QueryCommand({
        TableName: store.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :a)',
        ExpressionAttributeValues: { ':pk': customerKey(customerId).pk, ':a': 'ANSWER#' },
      }),
    )
  ).Items ?? [];
/** The answer link of each customer's reminder, read back from the SES emulator after the first run. */
const links = new Map<string, string>();
const linkIn = async (to: string): Promise<string> => {
  const known = links.get(to);
  if (known) return known;
  const email = (await mailbox.emails()).find((sent) => sent.destination.to.includes(to));
  const found = email?.body.text?.match(/http:\/\/127\.0\.0\.1:\d+\/respond\?token=\S+/)?.[0];
  if (!found) throw new Error(`no answer link in the reminder to ${to}`);
  links.set(to, found);
  return found;
};
const post = (body: Record<string, string>) =>
  fetch(`${server.url}/respond`, {
    method: 'POST',
    headers: form,
    body: new URLSearchParams(body),
    redirect: 'manual',
  });
const tokenOf = (link: string) => new URL(link).searchParams.get('token') ?? '';
const today = () => localDate(new Date(), ZONE);
/** 12:00 UTC on the coming Saturday (a week on, if today is one): a day Berlin's business hours skip. */
const nextSaturdayNoon = () => {
  const at = new Date();
  at.setUTCDate(at.getUTCDate() + ((6 - at.getUTCDay() + 7) % 7 || 7));
  at.setUTCHours(12, 0, 0, 0);
  return at;
};

beforeAll(async () => {
  [store, mailbox] = await Promise.all([startTestStore(), startTestMailbox({ account: SES_ACCOUNT })]);
  await seed(store, people, bills);
  server = await serveRespondPage(store, mailbox, KEY);
  await remindWithAnswerLinks(store, mailbox, server, KEY, FIRST_RUN);
  for (const who of people) await linkIn(who.email);
}, 60_000);
afterAll(async () => {
  await server?.stop();
  await Promise.all([store?.stop(), mailbox?.stop()]);
});

describe('GET /respond', () => {
  it('shows that email’s invoices, what is outstanding, the payment link and four answers, in German', async () => {
    const link = await linkIn('hana@customer.example');
    const response = await fetch(link);
    const html = await response.text();

    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(html).toContain('<html lang="de">');
    // The run signs the customer's language into the link, for a page that cannot read the store.
    expect(verifyAnswerLink(KEY, tokenOf(link), new Date())).toMatchObject({ link: { language: 'de' } });
    expect(html).toContain('Northwind Supplies Ltd');
    expect(html).toContain('N-R-1');
    expect(html).toContain('N-R-2');
    expect(html).not.toContain('N-S-1');
    expect(html).toContain('120,00');
    expect(html).toContain('https://pay.example.com/invoices/R-1');
    for (const action of ['paid', 'promise', 'dispute', 'plan'])
      expect(html).toContain(`data-action="${action}"`);
    // Mail scanners open links: a GET writes nothing.
    expect((await readInvoice('R-1')).answer).toBeUndefined();
    expect(await answerItems('hana')).toEqual([]);
  });

  it('answers 403 with a page for a forged, tampered, foreign-key or expired link', async () => {
    const link = await linkIn('hana@customer.example');
    const token = tokenOf(link);
    const forged = signAnswerLink(`${KEY}-other`, {
      customerId: 'hana',
      invoiceIds: ['R-1'],
      expiresAt: 2e9,
    });
    const expired = signAnswerLink(KEY, {
      customerId: 'hana',
      invoiceIds: ['R-1'],
      expiresAt: 1_700_000_000,
    });
    for (const bad of ['', 'nonsense', `${token.slice(0, -2)}xx`, forged, expired]) {
      const response = await fetch(`${server.url}/respond?token=${encodeURIComponent(bad)}`);
      const html = await response.text();
      expect(response.status).toBe(403);
      expect(html).toContain('This link is not valid');
      expect(html).not.toContain('N-R-1');
    }
  });
});

describe('POST /respond', () => {
  it('names the field of a bad answer in a 400 page and records nothing', async () => {
    const token = tokenOf(await linkIn('hana@customer.example'));
    const cases: [Record<string, string>, string][] = [
      [{ token }, 'action'],
      [{ token, action: 'refund' }, 'action'],
      [{ token, action: 'promise' }, 'date'],
      [{ token, action: 'promise', date: addDays(today(), 15) }, 'date'],
      [{ token, action: 'promise', date: today() }, 'date'],
      [{ token, action: 'promise', date: addDays(today(), 3), invoice: 'S-1' }, 'invoice'],
      [{ token, action: 'dispute' }, 'message'],
    ];
    for (const [body, field] of cases) {
      const response = await post(body);
      expect(response.status).toBe(400);
      expect(await response.text()).toContain(`data-field="${field}"`);
    }
    expect(await answerItems('hana')).toEqual([]);
  });

  it('refuses a bad token with 403 and a body over 16 KiB with 413', async () => {
    expect((await post({ token: 'v1.x.y', action: 'plan' })).status).toBe(403);
    const big = await post({ token: 'x', action: 'plan', message: 'x'.repeat(17 * 1024) });
    expect(big.status).toBe(413);
    expect(await big.text()).toContain('too long');
  });

  it('records "I will pay by", confirms once by email, and the next run holds both invoices', async () => {
    const token = tokenOf(await linkIn('hana@customer.example'));
    const date = addDays(today(), 7);
    await mailbox.clear();

    const response = await post({ token, action: 'promise', date });
    expect(response.status).toBe(303);
    const confirmation = await fetch(new URL(response.headers.get('location') ?? '', server.url));
    const page = await confirmation.text();
    expect(confirmation.status).toBe(200);
    expect(page).toContain('Vielen Dank, wir haben Ihre Antwort');
    expect(page).toContain('data-answer="promise"');

    const mails = await mailbox.emails();
    expect(mails).toHaveLength(1);
    expect(mails[0]?.destination.to).toEqual(['hana@customer.example']);
    expect(mails[0]?.subject).toBe('Wir haben Ihre Antwort zu N-R-1, N-R-2');
    expect(mails[0]?.body.text).toContain(`${server.url}/respond?token=`);

    for (const id of ['R-1', 'R-2'])
      expect((await readInvoice(id)).answer).toMatchObject({
        kind: 'promise',
        status: 'held',
        promisedFor: date,
        heldThrough: addDays(date, policy.answers.promiseGraceDays),
      });
    // The next run, on a Saturday inside the promise's hold: Berlin's business hours are closed, so
    // ivo's reminder waits (deferred) whatever the hour this test runs at, and hana gets none.
    const { run, close } = buildRun(store, mailbox);
    const { summary } = await run.run({ asOf: nextSaturdayNoon() });
    close();
    expect(summary).toMatchObject({ considered: 3, sent: 0, deferred: 1, failed: 0 });
    expect(summary.skipped.promised).toBe(2);
  });

  it('lets a second answer supersede the first, and the page says so', async () => {
    const token = tokenOf(await linkIn('hana@customer.example'));
    const response = await post({ token, action: 'paid', invoice: 'R-1', reference: 'TX-77' });
    expect(response.status).toBe(303);

    const records = await answerItems('hana');
    const promise = records.find((record) => record.kind === 'promise');
    const paid = records.find((record) => record.kind === 'paid');
    expect(promise?.supersededBy).toBe(paid?.answerId);
    expect((await readInvoice('R-1')).answer).toMatchObject({
      kind: 'paid',
      reference: 'TX-77',
      status: 'held',
    });
    expect((await readInvoice('R-2')).answer).toMatchObject({ kind: 'promise', status: 'held' });
    const html = await (await fetch(`${server.url}/respond?token=${encodeURIComponent(token)}`)).text();
    expect(html).toContain('Sie haben bezahlt. Erinnerungen ruhen.');
    expect(html).toContain('Eine neue Antwort unten ersetzt sie.');
  });

  it('disputes as "dunning dispute" does, in the customer’s words, and tells collections', async () => {
    const token = tokenOf(await linkIn('ivo@customer.example'));
    await mailbox.clear();
    const response = await post({ token, action: 'dispute', message: 'We never received the goods.' });
    expect(response.status).toBe(303);

    const bill = await readInvoice('S-1');
    expect(bill.flags).toEqual(['disputed']);
    const { Item } = await store.documentClient.send(
      new GetCommand({ TableName: store.tableName, Key: invoiceKey('S-1') }),
    );
    expect(Item?.disputeReason).toBe('We never received the goods.');
    const mails = await mailbox.emails();
    expect(mails.map((mail) => mail.destination.to[0]).sort()).toEqual([
      'collections@northwind.example',
      'ivo@customer.example',
    ]);
    expect(
      mails.find((mail) => mail.destination.to[0] === 'collections@northwind.example')?.body.text,
    ).toContain('We never received the goods.');
  });

  it('limits the answers one link takes', async () => {
    const token = tokenOf(await linkIn('hana@customer.example'));
    const statuses: number[] = [];
    for (let attempt = 0; attempt < policy.answers.maxAnswersPerLink; attempt += 1)
      statuses.push((await post({ token, action: 'plan', invoice: 'R-2' })).status);
    // Two answers went through this link already; the limit counts them.
    expect(statuses.filter((status) => status === 303)).toHaveLength(policy.answers.maxAnswersPerLink - 2);
    expect(statuses.at(-1)).toBe(429);
  });

  it('shows and takes only the invoices of the link that are still this customer’s', async () => {
    // A link signed with the deployment's key that names ivo's S-1 beside hana's R-1 (as after S-1
    // moved to another customer): the page and the answer know R-1 only.
    const token = signAnswerLink(KEY, { customerId: 'hana', invoiceIds: ['R-1', 'S-1'], expiresAt: 2e9 });
    const before = (await readInvoice('S-1')).answer;

    const page = await fetch(`${server.url}/respond?token=${encodeURIComponent(token)}`);
    const html = await page.text();
    const answer = await post({ token, action: 'plan', invoice: 'S-1' });

    expect(page.status).toBe(200);
    expect(html).toContain('N-R-1');
    expect(html).not.toContain('N-S-1');
    expect(answer.status).toBe(400);
    expect(await answer.text()).toContain('data-field="invoice"');
    expect((await readInvoice('S-1')).answer).toEqual(before);
  });

  it('refuses an answer about an invoice paid since the email, naming the invoice, and records nothing', async () => {
    await seed(store, [], [invoice('R-9', 'hana', { status: 'paid', amountReceived: 120_00 })]);
    const token = signAnswerLink(KEY, { customerId: 'hana', invoiceIds: ['R-9'], expiresAt: 2e9 });
    const before = await answerItems('hana');

    const answer = await post({ token, action: 'promise', date: addDays(today(), 3), invoice: 'R-9' });

    const refusal = await answer.text();
    expect(answer.status).toBe(400);
    expect(refusal).toContain('data-field="invoice"');
    expect(refusal).toContain('darauf ist nichts mehr offen');
    expect(await answerItems('hana')).toEqual(before);
    expect((await readInvoice('R-9')).answer).toBeUndefined();
  });
});

describe('The respond function URL', () => {
  it('answers a function URL event through the same code, and a malformed event with a page, never 5xx', async () => {
    const handler = createRespondHandler(
      createRespond({
        documentClient: store.documentClient,
        tableName: store.tableName,
        mailer: new SesMailer(createSendingClient(mailbox.endpoint), { from: settings.from }),
        policy,
        linkKey: async () => KEY,
        paymentUrlTemplate: settings.paymentUrlTemplate,
        defaultTimeZone: 'UTC',
        logger: { info: () => {}, warn: () => {} },
      }),
      policy,
    );
    const token = tokenOf(await linkIn('hana@customer.example'));
    const page = await handler({
      rawPath: '/respond',
      rawQueryString: `token=${encodeURIComponent(token)}`,
      headers: {},
      isBase64Encoded: false,
      requestContext: { http: { method: 'GET' }, domainName: 'abc.lambda-url.eu-west-1.on.aws' },
    });
    expect(page).toMatchObject({ statusCode: 200 });
    expect((page as { body: string }).body).toContain('N-R-1');
    const junk = await handler({ nothing: true });
    expect(junk).toMatchObject({ statusCode: 400 });
    const posted = await handler({
      rawPath: '/respond',
      rawQueryString: '',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: Buffer.from(new URLSearchParams({ token: 'v1.a.b', action: 'plan' }).toString()).toString(
        'base64',
      ),
      isBase64Encoded: true,
      requestContext: { http: { method: 'POST' } },
    });
    expect(posted).toMatchObject({ statusCode: 403 });
  });
});
