import { readFile } from 'node:fs/promises';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allPages, dunning, useStore } from '../support/cli-in-process.ts';
import { startTestStore, type TestStore } from '../support/emulators.ts';
import { scratchFolder } from '../support/scratch-folder.ts';

/** Files shaped like each tool's export; their sources are in the folder's README. */
const EXPORTS = 'test/fixtures/import/exports';

const invoice = (
  invoiceId: string,
  invoiceNumber: string,
  customerId: string,
  currency: string,
  amountDue: number,
  outstanding: number,
  dueDate: string,
) => ({ invoiceId, invoiceNumber, customerId, currency, amountDue, outstanding, dueDate, status: 'open' });

const XERO_OPEN = [
  invoice('INV-0101', 'INV-0101', 'accounts@thamesvalley.example', 'GBP', 144000, 144000, '2026-11-01'),
  invoice('INV-0102', 'INV-0102', 'buchhaltung@mueller.example', 'EUR', 98000, 68000, '2026-11-14'),
];

describe('dunning import --from: the exports of Stripe, Xero, QuickBooks and Invoice Ninja', () => {
  let store: TestStore;
  const { write } = scratchFolder('dunning-exports-');

  beforeAll(async () => {
    store = await startTestStore();
    useStore(store, { DUNNING_TIME_ZONE: 'Europe/London' });
  });
  afterAll(() => store.stop());

  /** What `dunning invoices --json` lists of the given ids, in id order. */
  const listed = async (ids: (id: string) => boolean) => {
    const { lines } = await allPages('invoices', '--limit', '3');
    return lines
      .filter((line) => ids(String(line.invoiceId)))
      .sort((a, b) => String(a.invoiceId).localeCompare(String(b.invoiceId)));
  };

  it('Stripe: open invoices only, amounts from Amount Due and Amount Paid, duplicates once', async () => {
    const result = await dunning('import', `${EXPORTS}/stripe-invoices.csv`, '--from', 'stripe', '--json');

    expect(result.json.errors).toEqual([]);
    expect(result.json).toMatchObject({
      rows: 4,
      invoices: { new: 3, updated: 0, unchanged: 0 },
      customers: { new: 2 },
      skipped: { paid: 1, void: 1, draft: 1, no_due_date: 1 },
      combined: 0,
    });
    expect(await listed((id) => id.startsWith('in_'))).toEqual([
      invoice(
        'in_1PqRsT2eZvKYlo2C0a1b2c3d',
        '8D3F1A2B-0001',
        'cus_QxA1b2C3d4E5f6',
        'USD',
        125000,
        125000,
        '2026-10-31',
      ),
      invoice(
        'in_1PqRsT2eZvKYlo2C0a1b2c3e',
        '8D3F1A2B-0002',
        'cus_QxA1b2C3d4E5f6',
        'USD',
        48050,
        28050,
        '2026-11-14',
      ),
      invoice(
        'in_1PqRsT2eZvKYlo2C0a1b2c3i',
        '8D3F1A2B-0005',
        'cus_Rb7Y8z9A0b1C2d',
        'EUR',
        199999,
        199999,
        '2026-11-19',
      ),
    ]);
  });

  it('Xero: line items combined, paid, draft and credit notes skipped, the address kept line by line', async () => {
    const result = await dunning('import', `${EXPORTS}/xero-invoices.csv`, '--from', 'xero', '--json');
    const customer = await dunning('show', 'INV-0101', '--json');

    expect(result.json.errors).toEqual([]);
    expect(result.json).toMatchObject({
      invoices: { new: 2 },
      skipped: { paid: 1, draft: 1, credit_note: 1 },
      // INV-0101's second line item, and INV-0102's row repeated after rows that were skipped.
      combined: 2,
    });
    expect(await listed((id) => id.startsWith('INV-01'))).toEqual(XERO_OPEN);
    expect(customer.json.customer).toMatchObject({
      customerId: 'accounts@thamesvalley.example',
      name: 'Thames Valley Logistics',
      // POAddressLine1 (two lines in its cell), POCity, PORegion, POPostalCode, POCountry; the empty
      // POAddressLine2-4 leave no blank line.
      address: 'Unit 4, Riverside Park\nKings Meadow\nReading\nBerkshire\nRG1 8DB\nUnited Kingdom',
    });
  });

  it.each([
    [
      'Windows-1252 with --encoding',
      (text: string) => iconv.encode(text, 'windows-1252'),
      ['--encoding', 'windows-1252'],
    ],
    [
      'UTF-8 with a BOM',
      (text: string) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]),
      [],
    ],
    ['UTF-16 LE with a BOM', (text: string) => iconv.encode(text, 'utf-16le', { addBOM: true }), []],
    ['UTF-16 BE with a BOM', (text: string) => iconv.encode(text, 'utf-16be', { addBOM: true }), []],
  ])('reads the Xero export saved as %s exactly as the UTF-8 one', async (_name, encode, flags) => {
    const text = await readFile(`${EXPORTS}/xero-invoices.csv`, 'utf8');
    const path = await write(`xero-${flags.length}-${encode('x').length}.csv`, encode(text));

    const result = await dunning('import', path, '--from', 'xero', ...flags, '--json');
    const mueller = await dunning('customers', '--json', '--limit', '100');

    expect(result.json.errors).toEqual([]);
    expect(result.json.invoices).toEqual({ new: 0, updated: 0, unchanged: 2 });
    expect(await listed((id) => id.startsWith('INV-01'))).toEqual(XERO_OPEN);
    expect(mueller.json.customers).toContainEqual(
      expect.objectContaining({ name: 'Müller Maschinenbau GmbH', email: 'buchhaltung@mueller.example' }),
    );
  });

  it('refuses a Windows-1252 file read as UTF-8, naming the line of the first bad byte and the fix', async () => {
    const text = await readFile(`${EXPORTS}/xero-invoices.csv`, 'utf8');
    const path = await write('xero-1252.csv', iconv.encode(text, 'windows-1252'));

    const result = await dunning('import', path, '--from', 'xero', '--json');

    expect(result.code).toBe(1);
    // Line 7: after the header, two records of two lines each and a blank line, "Müller".
    expect(result.json.error).toBe(
      `${path}: line 7 is not valid UTF-8 (byte 0xFC); nothing was imported. If the file was saved by a spreadsheet or an older program, name its encoding, e.g. --encoding windows-1252`,
    );
  });

  it('QuickBooks: the report read below its title rows, customers from its group rows, totals skipped', async () => {
    const currency = await write('usd.json', JSON.stringify({ columns: {}, defaults: { currency: 'USD' } }));
    const path = `${EXPORTS}/quickbooks-open-invoices.csv`;

    const refused = await dunning('import', path, '--from', 'quickbooks', '--json');
    const result = await dunning('import', path, '--from', 'quickbooks', '--map', currency, '--json');
    const amy = await dunning('show', '1021', '--json');

    expect(refused.code).toBe(1);
    expect(refused.json.error).toContain('currency: no column "Currency" or "Currency Code"');
    expect(refused.json.error).toContain('give the currency with --map');
    expect(result.json.errors).toEqual([]);
    expect(result.json).toMatchObject({
      invoices: { new: 3 },
      // Two customer headings, two "Total for" rows, the grand TOTAL and the footer's timestamp.
      skipped: { credit_note: 1, not_an_invoice: 1, report_row: 6 },
    });
    expect(await listed((id) => /^10\d\d$/.test(id))).toEqual([
      invoice('1021', '1021', 'Birds@Intuit.example', 'USD', 45900, 23900, '2026-10-08'),
      invoice('1025', '1025', 'Cool_Cars@intuit.example', 'USD', 69400, 69400, '2026-10-01'),
      invoice('1034', '1034', 'Birds@Intuit.example', 'USD', 127550, 127550, '2026-11-11'),
    ]);
    expect(amy.json.customer.name).toBe("Amy's Bird Sanctuary");
  });

  it('QuickBooks without an email column: refused before any row, saying what to add', async () => {
    const original = await readFile(`${EXPORTS}/quickbooks-open-invoices.csv`, 'utf8');
    const withoutEmail = original
      .split('\n')
      .map((line) =>
        line
          .split(',')
          .filter((_cell, index) => index !== 6)
          .join(','),
      )
      .join('\n');
    const path = await write('qbo-no-email.csv', withoutEmail);

    const result = await dunning('import', path, '--from', 'quickbooks', '--dry-run', '--json');

    expect(result.code).toBe(1);
    expect(result.json.error).toContain('customer_email: no column "Email" or "Customer Email" or "E-mail"');
    expect(result.json.error).toContain('add an "Email" column to the report');
  });

  it('Invoice Ninja: sent, partial and overdue imported; paid, draft and cancelled skipped', async () => {
    const result = await dunning(
      'import',
      `${EXPORTS}/invoiceninja-invoices.csv`,
      '--from',
      'invoiceninja',
      '--json',
    );

    expect(result.json.errors).toEqual([]);
    expect(result.json).toMatchObject({ invoices: { new: 3 }, skipped: { paid: 1, draft: 1, void: 1 } });
    expect(await listed((id) => id.startsWith('004'))).toEqual([
      invoice('0041', '0041', '0007', 'EUR', 150000, 150000, '2026-11-04'),
      invoice('0042', '0042', '0007', 'EUR', 80000, 30000, '2026-11-11'),
      invoice('0046', '0046', '0009', 'EUR', 120050, 120050, '2026-10-20'),
    ]);
  });

  it('refuses an unknown --from and --encoding before reading anything', async () => {
    const from = await dunning('import', `${EXPORTS}/xero-invoices.csv`, '--from', 'sage', '--json');
    const encoding = await dunning(
      'import',
      `${EXPORTS}/xero-invoices.csv`,
      '--encoding',
      'klingon',
      '--json',
    );

    expect(from.json.error).toBe(
      '--from "sage" is not a known export; one of: stripe, xero, quickbooks, invoiceninja',
    );
    expect(encoding.json.error).toMatch(/^--encoding "klingon" is not an encoding this importer knows/);
  });
});
