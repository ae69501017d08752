import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHttpServer } from '../../cli/http/server.ts';
import { createDocumentClient, createDynamoClient } from '../../functions/shared/adapters/dynamodb/client.ts';
import { localEndpoint } from '../../functions/shared/adapters/endpoints.ts';
import { addDays, localDate } from '../../functions/shared/domain/calendar.ts';
import { remindWithAnswerLinks, serveRespondPage } from '../integration/respond-support.ts';
import { buildRun, customer, invoice, SES_ACCOUNT, seed } from '../integration/run-support.ts';
import { startTestMailbox, startTestStore, type TestMailbox, type TestStore } from '../support/emulators.ts';
import { freePort } from './cli-process.ts';

/**
 * A customer answers from their email in a real browser (Debian's Chromium through playwright-core):
 * the link is read back from the reminder the SES emulator holds, "I will pay by" is chosen on the
 * page, the confirmation shows, and the next run holds the invoice. A bad link and a store that
 * cannot be reached get their pages, never an error. Screenshots go to
 * DUNNING_SCREENSHOTS when it names a folder (to look at them), else to a temporary one removed after.
 */
const KEY = 'answer-link-key-for-the-browser-test-0123456789';
const CHROMIUM = '/usr/bin/chromium';
const ZONE = 'Europe/Berlin';
const people = [
  customer('nora', { name: 'Nora Lindqvist' }),
  customer('kenji', { locale: 'ja-JP', name: '山田商事' }),
];
const bills = [
  invoice('B-1', 'nora', { invoiceNumber: 'INV-2041', amountDue: 1_250_00 }),
  invoice('B-2', 'nora', { invoiceNumber: 'INV-2042', amountDue: 310_50 }),
  invoice('J-1', 'kenji', { invoiceNumber: 'INV-3001', currency: 'JPY', amountDue: 48_000 }),
];

let store: TestStore;
let mailbox: TestMailbox;
let server: RunningHttpServer;
let browser: Browser;
const keep = process.env.DUNNING_SCREENSHOTS;
const shots = keep ?? mkdtempSync(join(tmpdir(), 'dunning-shots-'));

const linkFromReminder = async (to: string): Promise<string> => {
  const reminder = (await mailbox.emails()).find((email) => email.destination.to.includes(to));
  const href = reminder?.body.html?.match(/href="(http:\/\/127\.0\.0\.1:\d+\/respond\?token=[^"]+)"/)?.[1];
  if (!href) throw new Error(`the reminder to ${to} carries no answer link`);
  return href.replaceAll('&amp;', '&');
};

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  [store, mailbox, browser] = await Promise.all([
    startTestStore(),
    startTestMailbox({ account: SES_ACCOUNT }),
    chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] }),
  ]);
  await seed(store, people, bills);
  server = await serveRespondPage(store, mailbox, KEY);
  await remindWithAnswerLinks(store, mailbox, server, KEY, new Date('2026-03-03T09:00:00Z'));
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await Promise.all([store?.stop(), mailbox?.stop()]);
  if (!keep) rmSync(shots, { recursive: true, force: true });
});

describe('Answering a reminder in a real browser', () => {
  it('opens the link from the email, answers "I will pay by" and sees the confirmation; the next run holds it', async () => {
    const page = await browser.newPage({ viewport: { width: 900, height: 1200 } });
    await page.goto(await linkFromReminder('nora@customer.example'));
    await expect.poll(() => page.title()).toBe('Your invoices with Northwind Supplies Ltd');
    expect(await page.locator('table').innerText()).toContain('INV-2041');
    expect(await page.locator('table').innerText()).toContain('€1,250.00');
    await page.screenshot({ path: join(shots, 'respond-page-en.png'), fullPage: true });

    const promise = page.locator('form[data-action="promise"]');
    const date = addDays(localDate(new Date(), ZONE), 5);
    await promise.locator('input[name="date"]').fill(date);
    await Promise.all([page.waitForURL(/answered=/), promise.locator('button').click()]);

    expect(await page.locator('h1').innerText()).toBe('Thank you, we have your answer');
    const status = await page.locator('[role="status"]').innerText();
    expect(status).toContain('You will pay by');
    expect(status).toContain('Invoices: INV-2041, INV-2042');
    await page.screenshot({ path: join(shots, 'respond-confirmed-en.png'), fullPage: true });

    // Back on the page, the answer is explained and can be replaced.
    await page.getByRole('link').last().click();
    expect(await page.locator('body').innerText()).toContain('you will pay by');
    await page.close();

    const confirmation = (await mailbox.emails()).filter((email) =>
      email.subject.startsWith('We have your answer'),
    );
    expect(confirmation.map((email) => email.destination.to)).toEqual([['nora@customer.example']]);

    const { run, close } = buildRun(store, mailbox);
    const { summary } = await run.run({ asOf: new Date(Date.now() + 1000) });
    close();
    expect(summary.skipped.promised).toBe(2);
    expect(summary.sent).toBe(0);
  });

  it('shows a tampered link its 403 page, and a store that cannot be reached a page saying nothing was recorded', async () => {
    const link = await linkFromReminder('nora@customer.example');
    const tampered = `${link.slice(0, -3)}abc`;
    const page = await browser.newPage({ viewport: { width: 900, height: 700 } });
    const refused = await page.goto(tampered);
    expect(refused?.status()).toBe(403);
    expect(await page.locator('h1').innerText()).toBe('This link is not valid');
    await page.screenshot({ path: join(shots, 'respond-403-en.png'), fullPage: true });

    // Served where the store cannot be reached at all, the link's page says it cannot be shown now.
    const token = new URL(link).search;
    const gone = createDocumentClient(createDynamoClient(localEndpoint(await freePort())));
    const unreachable = await serveRespondPage(store, mailbox, KEY, gone);
    const unavailable = await page.goto(`${unreachable.url}/respond${token}`);
    expect(unavailable?.status()).toBe(200);
    expect(await page.locator('h1').innerText()).toBe('This page cannot be shown just now');
    await page.screenshot({ path: join(shots, 'respond-unavailable-en.png'), fullPage: true });

    // Served where the store reads but refuses writes, the answer gets the page saying it was not recorded.
    const readOnly = createDocumentClient(createDynamoClient(store.endpoint));
    readOnly.middlewareStack.add(
      (next, context) => async (args) => {
        if (/^(Put|Update)(Item)?Command$/.test(context.commandName ?? ''))
          throw Object.assign(new Error('Internal server error'), {
            name: 'InternalServerError',
            $fault: 'server',
          });
        return next(args);
      },
      { step: 'initialize', name: 'refuseWrites' },
    );
    const broken = await serveRespondPage(store, mailbox, KEY, readOnly);
    await page.goto(`${broken.url}/respond${token}`);
    const promise = page.locator('form[data-action="promise"]');
    await promise.locator('input[name="date"]').fill(addDays(localDate(new Date(), ZONE), 4));
    const [answered] = await Promise.all([
      page.waitForResponse((response) => response.request().method() === 'POST'),
      promise.locator('button').click(),
    ]);
    await page.waitForLoadState();
    expect(answered.status()).toBe(200);
    expect(await page.locator('h1').innerText()).toBe('Your answer was not recorded');
    expect(await page.locator('body').innerText()).toContain('Please try again in a few minutes.');
    expect(await page.locator('body').innerText()).not.toContain('INV-2041');
    await page.screenshot({ path: join(shots, 'respond-not-recorded-en.png'), fullPage: true });
    await page.close();
    await Promise.all([broken.stop(), unreachable.stop()]);
    gone.destroy();
    readOnly.destroy();
  });

  it('shows the page in Japanese, with a refusal naming the field', async () => {
    const page = await browser.newPage({ viewport: { width: 900, height: 1200 }, locale: 'ja-JP' });
    await page.goto(await linkFromReminder('kenji@customer.example'));
    expect(await page.locator('html').getAttribute('lang')).toBe('ja');
    expect(await page.locator('table').innerText()).toContain('￥48,000');
    const dispute = page.locator('form[data-action="dispute"]');
    // The browser would refuse an empty reason itself; the server names it all the same.
    await dispute.locator('textarea').evaluate((area) => area.removeAttribute('required'));
    await dispute.locator('button').click();
    await page.waitForSelector('[role="alert"]');
    expect(await page.locator('[role="alert"]').innerText()).toContain('メッセージを入力してください');
    await page.screenshot({ path: join(shots, 'respond-refused-ja.png'), fullPage: true });
    await page.close();
  });
});
