import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHttpServer } from '../../cli/http/server.ts';
import { LedgerReader } from '../../functions/shared/adapters/dynamodb/ledger-reader.ts';
import { optOutUrl } from '../../functions/shared/composition/run-links.ts';
import { startTestStore, type TestStore } from '../support/emulators.ts';
import { indexEmails, serveCareRoutes } from './care-support.ts';
import { customer, policy, seed } from './run-support.ts';

/** The opt-out page a customer reaches from a reminder, in a real browser, in their language. */

const SECRET = 'local-opt-out-secret-0123456789abcdefgh';
const people = [
  customer('anna', { locale: 'de-AT' }),
  customer('yuki', { locale: 'ja-JP' }),
  customer('rosa', { locale: 'es-MX' }),
  customer('omar', { locale: 'ar-EG' }),
];

let store: TestStore;
let server: RunningHttpServer;
let browser: Browser;
let shots: string;

beforeAll(async () => {
  store = await startTestStore();
  await seed(store, people, []);
  await indexEmails(store, people);
  server = await serveCareRoutes(store, SECRET);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  shots = await mkdtemp(join(tmpdir(), 'dunning-optout-'));
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await store?.stop();
  if (shots) await rm(shots, { recursive: true, force: true });
});

const linkFor = (id: string) =>
  optOutUrl(server.url, people.find((person) => person.customerId === id) ?? customer(id), SECRET);

describe('The opt-out page in the customer language', () => {
  it.each([
    ['anna', 'de', 'Zahlungserinnerungen abbestellen?', 'Zahlungserinnerungen abbestellt'],
    ['yuki', 'ja', 'お支払いのご案内メールを停止しますか？', 'お支払いのご案内メールを停止しました'],
    ['rosa', 'es', '¿Dejar de recibir recordatorios de pago?', 'Recordatorios de pago desactivados'],
    ['omar', 'en', 'Stop payment reminders?', 'Payment reminders stopped'],
  ])('asks %s in %s, names the company, and confirms in the same language', async (id, lang, ask, done) => {
    const page = await browser.newPage();
    await page.goto(linkFor(id));

    expect(await page.getAttribute('html', 'lang')).toBe(lang);
    expect(await page.textContent('h1')).toBe(ask);
    expect(await page.textContent('body')).toContain(policy.company.name);
    await page.screenshot({ path: join(shots, `optout-${lang}.png`) });
    await page.click('button[type=submit]');
    await page.waitForSelector(`h1:text("${done}")`);

    expect(await page.getAttribute('html', 'lang')).toBe(lang);
    expect(await page.textContent('body')).toContain(policy.company.name);
    const stored = await new LedgerReader(store.documentClient, store.tableName).getCustomer(id);
    expect(stored?.status).toBe('opted_out');
    await page.close();
  });

  it('says a forged link is not valid, in the language the link names', async () => {
    const page = await browser.newPage();
    const response = await page.goto(`${server.url}/optout?customer=anna&token=forged&lang=fr`);

    expect(response?.status()).toBe(403);
    expect(await page.textContent('h1')).toBe("Ce lien n'est pas valide");
    await page.close();
  });
});
