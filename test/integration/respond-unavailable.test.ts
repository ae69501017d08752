import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { respondRoutes } from '../../cli/http/respond-routes.ts';
import type { RunningHttpServer } from '../../cli/http/server.ts';
import { createRespondHandler } from '../../functions/respond/function-url.ts';
import { createDocumentClient, createDynamoClient } from '../../functions/shared/adapters/dynamodb/client.ts';
import { answerLinkKey, customerKey, invoiceKey } from '../../functions/shared/adapters/dynamodb/keys.ts';
import { itemToInvoice } from '../../functions/shared/adapters/dynamodb/ledger-items.ts';
import { localEndpoint } from '../../functions/shared/adapters/endpoints.ts';
import { createSendingClient } from '../../functions/shared/adapters/ses/client.ts';
import { SesMailer } from '../../functions/shared/adapters/ses/mailer.ts';
import { createRespond } from '../../functions/shared/composition/respond.ts';
import { signAnswerLink, verifyAnswerLink } from '../../functions/shared/domain/answers/link-token.ts';
import { addDays, localDate } from '../../functions/shared/domain/calendar.ts';
import { freePort } from '../e2e/cli-process.ts';
import { startTestMailbox, startTestStore, type TestMailbox, type TestStore } from '../support/emulators.ts';
import { serveRoutes } from '../support/local-server.ts';
import { customer, invoice, policy, SES_ACCOUNT, seed, settings } from './run-support.ts';

const KEY = 'answer-link-key-for-unavailable-0123456789';
const ZONE = 'Europe/Berlin';
const hana = customer('hana', { locale: 'de-DE', timeZone: ZONE });
const bills = [invoice('U-1', 'hana'), invoice('U-2', 'hana')];
/** What the log may carry when a page could not be served: ids and an error's name, nothing else. */
const LOGGABLE = ['step', 'error', 'customerId', 'linkId', 'answerId', 'recorded'];
const form = { 'content-type': 'application/x-www-form-urlencoded' };

let store: TestStore;
let mailbox: TestMailbox;
const servers: RunningHttpServer[] = [];

interface Logged {
  readonly message: string;
  readonly attributes: Record<string, string>;
}

/** The respond routes of `dunning dev`, on the given store client and key, on a server of their own. */
const serve = async (documentClient: typeof store.documentClient, linkKey: () => Promise<string>) => {
  const warnings: Logged[] = [];
  const receive = createRespond({
    documentClient,
    tableName: store.tableName,
    mailer: new SesMailer(createSendingClient(mailbox.endpoint), { from: settings.from }),
    policy,
    linkKey,
    publicUrl: 'http://127.0.0.1:1',
    paymentUrlTemplate: settings.paymentUrlTemplate,
    defaultTimeZone: 'UTC',
    logger: { info: () => {}, warn: (message, attributes) => warnings.push({ message, attributes }) },
  });
  const server = await serveRoutes(respondRoutes(receive));
  servers.push(server);
  return { url: server.url, warnings, receive };
};

const tokenFor = (locale?: string) =>
  signAnswerLink(KEY, {
    customerId: 'hana',
    invoiceIds: ['U-1', 'U-2'],
    expiresAt: Math.floor(Date.now() / 1000) + 86_400,
    ...(locale ? { locale } : {}),
  });
const promise = (token: string) => ({
  token,
  action: 'promise',
  date: addDays(localDate(new Date(), ZONE), 3),
});
const post = (url: string, body: Record<string, string>, headers: Record<string, string> = {}) =>
  fetch(`${url}/respond`, {
    method: 'POST',
    headers: { ...form, ...headers },
    body: new URLSearchParams(body),
    redirect: 'manual',
  });

/** A page that says only what it must: no invoice, no token, no error, no address of ours. */
const expectNothingRevealed = (html: string, token: string) => {
  for (const secret of [token, 'U-1', 'N-U-1', 'Error', 'ECONNREFUSED', '127.0.0.1', ' at ', 'stack'])
    expect(html).not.toContain(secret);
};
const expectIdsOnly = (warnings: readonly Logged[]) => {
  expect(warnings.length).toBeGreaterThan(0);
  for (const { attributes } of warnings)
    for (const name of Object.keys(attributes)) expect(LOGGABLE).toContain(name);
};

beforeAll(async () => {
  [store, mailbox] = await Promise.all([startTestStore(), startTestMailbox({ account: SES_ACCOUNT })]);
  await seed(store, [hana], bills);
}, 60_000);
afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop()));
  await Promise.all([store?.stop(), mailbox?.stop()]);
});

describe('The answer page when the store or the key cannot be reached', () => {
  it('answers an unreachable store with a 200 page in the customer’s language, for GET and POST', async () => {
    // Nothing listens there: every read and write fails to connect, as an unreachable store does.
    const gone = createDocumentClient(createDynamoClient(localEndpoint(await freePort())));
    const { url, warnings } = await serve(gone, async () => KEY);
    const token = tokenFor('de-DE');

    const page = await fetch(`${url}/respond?token=${encodeURIComponent(token)}`, {
      headers: { 'accept-language': 'en-GB' },
    });
    const pageHtml = await page.text();
    const answer = await post(url, promise(token));
    const answerHtml = await answer.text();

    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(pageHtml).toContain('<html lang="de">');
    expect(pageHtml).toContain('Diese Seite kann gerade nicht angezeigt werden');
    expectNothingRevealed(pageHtml, token);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('location')).toBeNull();
    expect(answerHtml).toContain('<html lang="de">');
    expect(answerHtml).toContain('Ihre Antwort wurde nicht gespeichert');
    expect(answerHtml).toContain('in einigen Minuten noch einmal');
    expectNothingRevealed(answerHtml, token);
    expectIdsOnly(warnings);
    expect(warnings.at(-1)).toMatchObject({
      message: 'answer page unavailable',
      attributes: { step: 'answer', customerId: 'hana' },
    });
    gone.destroy();
  });

  it('speaks the reader’s language for a link signed before links named one', async () => {
    const gone = createDocumentClient(createDynamoClient(localEndpoint(await freePort())));
    const { url } = await serve(gone, async () => KEY);
    const token = tokenFor();

    const response = await post(url, promise(token), { 'accept-language': 'es-ES,es;q=0.9' });
    const html = await response.text();

    expect(response.status).toBe(200);
    expect(html).toContain('<html lang="es">');
    expect(html).toContain('Su respuesta no se ha registrado');
    gone.destroy();
  });

  it('records nothing when the answer’s own write fails, and the customer’s retry is recorded', async () => {
    // The store answers reads, but the answer record's write fails as an overloaded table's does.
    const failing = createDocumentClient(createDynamoClient(store.endpoint));
    failing.middlewareStack.add(
      (next, context) => async (args) => {
        if (/^Put(Item)?Command$/.test(context.commandName ?? ''))
          throw Object.assign(new Error('Internal server error'), {
            name: 'InternalServerError',
            $fault: 'server',
          });
        return next(args);
      },
      { step: 'initialize', name: 'failAnswerWrites' },
    );
    const broken = await serve(failing, async () => KEY);
    const healthy = await serve(store.documentClient, async () => KEY);
    const token = tokenFor('de-DE');

    const failed = await post(broken.url, promise(token));
    const failedHtml = await failed.text();
    const invoiceAfterFailure = await store.documentClient.send(
      new GetCommand({ TableName: store.tableName, Key: invoiceKey('U-1'), ConsistentRead: true }),
    );
    const answersAfterFailure = await store.documentClient.send(
      new QueryCommand({
        TableName: store.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :a)',
        ExpressionAttributeValues: { ':pk': customerKey('hana').pk, ':a': 'ANSWER#' },
      }),
    );
    const mailAfterFailure = await mailbox.emails();
    const checked = verifyAnswerLink(KEY, token, new Date());
    const linkId = checked.ok ? checked.link.linkId : '';
    const counterAfterFailure = await store.documentClient.send(
      new GetCommand({
        TableName: store.tableName,
        Key: answerLinkKey('hana', linkId),
        ConsistentRead: true,
      }),
    );
    const retried = await post(healthy.url, promise(token));

    expect(failed.status).toBe(200);
    expect(failedHtml).toContain('Ihre Antwort wurde nicht gespeichert');
    expectNothingRevealed(failedHtml, token);
    expect(itemToInvoice(invoiceAfterFailure.Item ?? {}).answer).toBeUndefined();
    expect(answersAfterFailure.Items ?? []).toEqual([]);
    expect(mailAfterFailure).toEqual([]);
    // The failed attempt gave its count back: it does not use up one of the link's answers.
    expect(counterAfterFailure.Item?.answers).toBe(0);
    expectIdsOnly(broken.warnings);
    expect(broken.warnings.at(-1)?.attributes).toMatchObject({
      step: 'answer',
      customerId: 'hana',
      error: 'InternalServerError',
      recorded: 'false',
    });
    expect(retried.status).toBe(303);
    failing.destroy();
  });

  it('answers a key that cannot be read in the reader’s language, naming no customer it could not verify', async () => {
    const { url, warnings, receive } = await serve(store.documentClient, () =>
      Promise.reject(Object.assign(new Error('secret unreachable'), { name: 'TimeoutError' })),
    );
    const token = tokenFor('de-DE');

    const page = await fetch(`${url}/respond?token=${encodeURIComponent(token)}`, {
      headers: { 'accept-language': 'fr-FR,fr;q=0.9' },
    });
    const html = await page.text();
    const viaFunctionUrl = await createRespondHandler(
      receive,
      policy,
    )({
      version: '2.0',
      rawPath: '/respond',
      rawQueryString: `token=${encodeURIComponent(token)}`,
      headers: { 'accept-language': 'ja' },
      requestContext: { http: { method: 'GET' }, domainName: 'abc.lambda-url.eu-west-1.on.aws' },
      isBase64Encoded: false,
    });

    expect(page.status).toBe(200);
    expect(html).toContain('<html lang="fr">');
    expect(html).toContain('Cette page ne peut pas être affichée pour le moment');
    expectNothingRevealed(html, token);
    expect(viaFunctionUrl).toMatchObject({ statusCode: 200 });
    expect(String((viaFunctionUrl as { body: string }).body)).toContain('ただいまこのページを表示できません');
    expectIdsOnly(warnings);
    for (const { attributes } of warnings) expect(attributes.customerId).toBeUndefined();
  });
});
