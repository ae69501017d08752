import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
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
import { customerToItem, invoiceToItem } from '../../functions/shared/adapters/dynamodb/ledger-items.ts';
import { addDays, localDate } from '../../functions/shared/domain/calendar.ts';
import type { Customer, Invoice } from '../../functions/shared/domain/model.ts';
import { startTestStore, type TestStore } from '../support/emulators.ts';
import { openInvoice } from '../support/ledger-fixtures.ts';

describe('dunning preview against the local store', () => {
  let store: TestStore;
  let dir: string;
  let stdout: MockInstance;
  let stderr: MockInstance;
  const written = (spy: MockInstance) => spy.mock.calls.map((call) => String(call[0])).join('');

  // 20 days overdue in UTC: well inside the policy's "second" stage (day 14 to day 29).
  const dueDate = addDays(localDate(new Date(), 'UTC'), -20);
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
    issueDate: addDays(dueDate, -30),
    dueDate,
  });

  beforeAll(async () => {
    store = await startTestStore();
    dir = await mkdtemp(join(tmpdir(), 'dunning-preview-'));
    for (const item of [customerToItem(customer), invoiceToItem(invoice)]) {
      await store.documentClient.send(new PutCommand({ TableName: store.tableName, Item: item }));
    }
  });
  afterAll(async () => {
    await store.stop();
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    vi.stubEnv('DUNNING_DYNAMODB_PORT', String(store.port));
    vi.stubEnv('DUNNING_TABLE_NAME', store.tableName);
    vi.stubEnv('DUNNING_TARGET', 'local');
    stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
    process.exitCode = undefined;
  });

  it('prints the reminder the invoice has reached as one JSON document', async () => {
    const code = await main(['node', 'dunning', 'preview', 'inv-7001', '--json']);

    expect(code).toBe(0);
    const document = JSON.parse(written(stdout));
    expect(document).toEqual({
      invoiceId: 'inv-7001',
      stage: 'second',
      subject: 'Mahnung: Rechnung RE-7001 ist seit 20 Tagen überfällig',
      text: expect.stringContaining('Guten Tag Müller & Söhne <GmbH>,'),
      html: expect.stringContaining('Guten Tag Müller &amp; Söhne &lt;GmbH&gt;,'),
      language: 'de',
    });
    expect(document.text).toContain('1.234,50\u00a0€');
    expect(document.html).toContain('https://pay.example.com/invoices/inv-7001');
  });

  it('writes the HTML of a named stage to --out and says where', async () => {
    const out = join(dir, 'final.html');

    const code = await main(['node', 'dunning', 'preview', 'inv-7001', '--stage', 'final', '--out', out]);

    expect(code).toBe(0);
    const html = await readFile(out, 'utf8');
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('RE-7001');
    expect(written(stdout)).toContain(
      'Subject: Letzte Zahlungserinnerung: Rechnung RE-7001 ist seit 20 Tagen überfällig',
    );
    expect(written(stdout)).toContain('Mahngebühr');
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
