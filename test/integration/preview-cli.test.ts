import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
  type MockInstance,
  vi,
} from 'vitest';
import { main } from '../../cli/main.ts';
import type { Customer, Invoice } from '../../functions/shared/domain/model.ts';
import { startTestStore, type TestStore } from '../support/emulators.ts';
import { openInvoice } from '../support/ledger-fixtures.ts';
import { policy, seed } from './run-support.ts';

describe('dunning preview against the local store', () => {
  let store: TestStore;
  let dir: string;
  let stdout: MockInstance;
  let stderr: MockInstance;
  const written = (spy: MockInstance) => spy.mock.calls.map((call) => String(call[0])).join('');

  // On 10 March 2026 (a Tuesday, 12:00 UTC) 20 days overdue: inside the policy's "second" stage (day 14 to 29).
  const AS_OF = '2026-03-10';
  const dueDate = '2026-02-18';
  const customer: Customer = {
    customerId: 'cust-de',
    name: 'Müller & Söhne <GmbH>',
    email: 'buchhaltung@mueller.example',
    locale: 'de-DE',
    timeZone: 'UTC',
    status: 'active',
  };
  const invoice: Invoice = openInvoice({
    invoiceId: 'inv-7001',
    invoiceNumber: 'RE-7001',
    customerId: 'cust-de',
    currency: 'EUR',
    amountDue: 123450,
    issueDate: '2026-01-19',
    dueDate,
  });

  beforeAll(async () => {
    store = await startTestStore();
    dir = await mkdtemp(join(tmpdir(), 'dunning-preview-'));
    await seed(store, [customer], [invoice]);
  });
  afterAll(async () => {
    await store.stop();
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    vi.stubEnv('DUNNING_DYNAMODB_PORT', String(store.port));
    vi.stubEnv('DUNNING_TABLE_NAME', store.tableName);
    vi.stubEnv('DUNNING_TARGET', 'local');
    vi.stubEnv('DUNNING_TIME_ZONE', 'UTC');
    stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
    process.exitCode = undefined;
  });

  it('prints the email the run would send for the invoice as one JSON document', async () => {
    const code = await main(['node', 'dunning', 'preview', 'inv-7001', '--as-of', AS_OF, '--json']);

    expect(code).toBe(0);
    const document = JSON.parse(written(stdout));
    expect(document).toEqual({
      invoiceId: 'inv-7001',
      reminder: true,
      stage: 'second',
      subject: 'Mahnung: Rechnung RE-7001 ist seit 20 Tagen überfällig',
      text: expect.stringContaining('Guten Tag Müller & Söhne <GmbH>,'),
      html: expect.stringContaining('Guten Tag Müller &amp; Söhne &lt;GmbH&gt;,'),
      language: 'de',
      asOf: '2026-03-10T12:00:00.000Z',
      customerId: 'cust-de',
      from: `"${policy.company.name}" <billing@dunning.local>`,
      to: 'buchhaltung@mueller.example',
      replyTo: policy.company.contactEmail,
      headers: {
        'List-Unsubscribe': expect.stringMatching(
          /^<http:\/\/127\.0\.0\.1:\d+\/optout\?customer=cust-de&token=[\w-]+&lang=de>$/,
        ),
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      },
      invoices: [
        {
          invoiceId: 'inv-7001',
          invoiceNumber: 'RE-7001',
          stage: 'second',
          fee: 0,
          outstanding: 123450,
          currency: 'EUR',
        },
      ],
      chosenStage: false,
    });
    expect(document.text).toContain('/respond?token=');
    expect(document.text).toContain('1.234,50\u00a0€');
    expect(document.html).toContain('https://pay.example.com/invoices/inv-7001');
  });

  it('writes the HTML of a named stage to --out and says where', async () => {
    const out = join(dir, 'final.html');

    const code = await main([
      'node',
      'dunning',
      'preview',
      'inv-7001',
      '--as-of',
      AS_OF,
      '--stage',
      'final',
      '--out',
      out,
    ]);

    expect(code).toBe(0);
    const html = await readFile(out, 'utf8');
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('RE-7001');
    expect(written(stdout)).toContain(
      'Subject: Letzte Zahlungserinnerung: Rechnung RE-7001 ist seit 20 Tagen überfällig',
    );
    expect(written(stdout)).toContain('Mahngebühr');
    expect(written(stdout)).toContain('RE-7001 is at stage final (final); the email is in de.');
    expect(written(stdout)).toContain(`HTML written to ${out}`);
  });

  it('names an unknown invoice and exits 1', async () => {
    const code = await main(['node', 'dunning', 'preview', 'inv-nope', '--json']);

    expect(code).toBe(1);
    expect(JSON.parse(written(stdout))).toEqual({ error: 'Invoice "inv-nope" not found.' });
  });

  it('names an unknown stage and exits 1', async () => {
    const code = await main(['node', 'dunning', 'preview', 'inv-7001', '--stage', 'fourth']);

    expect(code).toBe(1);
    expect(written(stderr)).toMatch(/^dunning: Unknown stage "fourth"; the policy's stages are: courtesy, /);
    expect(written(stdout)).toBe('');
  });
});
