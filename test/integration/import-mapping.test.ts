import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allPages, dunning, useStore } from '../support/cli-in-process.ts';
import { startTestStore, type TestStore } from '../support/emulators.ts';
import { scratchFolder } from '../support/scratch-folder.ts';

/** A German accounting program's list of open items: semicolons, day-first dates, decimal commas. */
const OFFENE_POSTEN = [
  'Belegnummer;Kunde;E-Mail;Rechnungsdatum;Fällig am;Betrag;Bezahlt;Anschrift',
  'RE-2026-0101;Müller Maschinenbau GmbH;buchhaltung@mueller.example;01.10.2026;31.10.2026;1.234,50;234,50;"Friedrichstraße 43',
  '10117 Berlin"',
  '',
  'RE-2026-0102;Spree Digitalagentur;rechnung@spree.example;15.10.2026;14.11.2026;99,00;;',
  'RE-2026-0101;Müller Maschinenbau GmbH;buchhaltung@mueller.example;01.10.2026;31.10.2026;1.234,50;234,50;"Friedrichstraße 43',
  '10117 Berlin"',
].join('\r\n');

const MAPPING = {
  columns: {
    invoice_id: 'Belegnummer',
    customer_name: 'Kunde',
    customer_email: 'E-Mail',
    issue_date: 'Rechnungsdatum',
    due_date: 'Fällig am',
    amount_due: 'Betrag',
    amount_paid: 'Bezahlt',
    customer_address: 'Anschrift',
  },
  dateFormat: 'dd.MM.yyyy',
  decimalSeparator: ',',
  thousandsSeparator: '.',
  defaults: { currency: 'EUR', customer_id: '{customer_email}', customer_locale: 'de-DE' },
};

describe('dunning import --map MAPPING.json', () => {
  let store: TestStore;
  const { write } = scratchFolder('dunning-mapping-');

  beforeAll(async () => {
    store = await startTestStore();
    useStore(store, { DUNNING_TIME_ZONE: 'Europe/Berlin' });
  });
  afterAll(() => store.stop());

  it('reads other column names, day-first dates, decimal commas and defaults, a customer id from the email', async () => {
    const file = await write('offene-posten.csv', OFFENE_POSTEN);
    const mapping = await write('mapping.json', JSON.stringify(MAPPING));

    const result = await dunning('import', file, '--map', mapping, '--json');
    const { lines } = await allPages('invoices');
    const shown = await dunning('show', 'RE-2026-0101', '--json');

    expect(result.json.errors).toEqual([]);
    expect(result.json).toMatchObject({ rows: 3, invoices: { new: 2 }, customers: { new: 2 } });
    expect(lines.sort((a, b) => String(a.invoiceId).localeCompare(String(b.invoiceId)))).toEqual([
      {
        invoiceId: 'RE-2026-0101',
        invoiceNumber: 'RE-2026-0101',
        customerId: 'buchhaltung@mueller.example',
        currency: 'EUR',
        amountDue: 123450,
        outstanding: 100000,
        dueDate: '2026-10-31',
        status: 'open',
      },
      {
        invoiceId: 'RE-2026-0102',
        invoiceNumber: 'RE-2026-0102',
        customerId: 'rechnung@spree.example',
        currency: 'EUR',
        amountDue: 9900,
        outstanding: 9900,
        dueDate: '2026-11-14',
        status: 'open',
      },
    ]);
    expect(shown.json.invoice.issueDate).toBe('2026-10-01');
    expect(shown.json.customer).toMatchObject({ name: 'Müller Maschinenbau GmbH', locale: 'de-DE' });
  });

  it("names the line, the record and the file's own column of a bad cell", async () => {
    const file = await write(
      'bad.csv',
      OFFENE_POSTEN.replace('15.10.2026;14.11.2026;99,00', '15.10.2026;2026/11/14;9,9,0'),
    );
    const mapping = await write('mapping.json', JSON.stringify(MAPPING));

    const result = await dunning('import', file, '--map', mapping, '--json');

    expect(result.code).toBe(1);
    // Line 5 of the file, its third record: the quoted address of record 2 spans two lines.
    expect(result.json.errors).toEqual([
      {
        row: 5,
        record: 3,
        column: 'Fällig am',
        field: 'due_date',
        value: '2026/11/14',
        reason: 'not a date in the format "dd.MM.yyyy" or "yyyy-MM-dd"',
      },
      {
        row: 5,
        record: 3,
        column: 'Betrag',
        field: 'amount_due',
        value: '9.9.0',
        reason: 'expected a decimal amount such as "1234.50" (digits, optional point, no separators)',
      },
    ]);
    expect(result.json.error).toContain('(first: row 5 (record 3), Fällig am (due_date) "2026/11/14"');
  });

  it('refuses a row whose outstanding amount is more than its amount due, writing nothing', async () => {
    const file = await write(
      'offen.csv',
      [
        'Belegnummer;Kunde;E-Mail;Fällig am;Betrag;Offen',
        'RE-2026-0201;Havel Bau GmbH;rechnung@havel.example;30.11.2026;100,00;40,00',
        'RE-2026-0202;Havel Bau GmbH;rechnung@havel.example;30.11.2026;100,00;150,00',
      ].join('\n'),
    );
    const mapping = await write(
      'offen.json',
      JSON.stringify({
        ...MAPPING,
        columns: {
          invoice_id: 'Belegnummer',
          customer_name: 'Kunde',
          customer_email: 'E-Mail',
          due_date: 'Fällig am',
          amount_due: 'Betrag',
          amount_outstanding: 'Offen',
        },
      }),
    );

    const result = await dunning('import', file, '--map', mapping, '--json');

    expect(result.code).toBe(1);
    expect(result.json.errors).toEqual([
      {
        row: 3,
        column: 'amount_paid',
        value: '150.00',
        reason: 'what is outstanding is more than amount_due (100.00)',
      },
    ]);
    expect(result.json.invoices).toEqual({ new: 0, updated: 0, unchanged: 0 });
    expect(await dunning('show', 'RE-2026-0201', '--json')).toMatchObject({ code: 1 });
  });

  it('refuses a mapping naming a column the file lacks before reading any row, naming both', async () => {
    const file = await write('offene-posten.csv', OFFENE_POSTEN);
    const mapping = await write(
      'typo.json',
      JSON.stringify({ ...MAPPING, columns: { ...MAPPING.columns, customer_email: 'Email' } }),
    );

    const result = await dunning('import', file, '--map', mapping, '--json');

    expect(result.code).toBe(1);
    expect(result.json.error).toContain(
      `${file}: refused before reading any row: ${mapping} maps customer_email to "Email", which ${file} does not have`,
    );
    expect(result.json.error).toContain('"E-Mail"');
  });

  it('maps a JSON export the same way, and refuses a key given twice in one of its objects', async () => {
    const element = {
      Belegnummer: 'RE-2026-0201',
      Kunde: 'Hansa Kaffeerösterei',
      'E-Mail': 'einkauf@hansa.example',
      Rechnungsdatum: '31.10.2026',
      'Fällig am': '30.11.2026',
      Betrag: '2.500,00',
      Bezahlt: null,
      Anschrift: 'Speicherstadt 1\n20457 Hamburg',
    };
    const good = await write('posten.json', JSON.stringify([element], null, 2));
    const twice = await write(
      'twice.json',
      `[\n${JSON.stringify(element).replace('"Betrag":"2.500,00"', '"Betrag":"2.500,00","Betrag":"25,00"')}\n]`,
    );
    const mapping = await write('mapping.json', JSON.stringify(MAPPING));

    const imported = await dunning('import', good, '--map', mapping, '--json');
    const refused = await dunning('import', twice, '--map', mapping, '--json');
    const shown = await dunning('show', 'RE-2026-0201', '--json');

    expect(imported.json.errors).toEqual([]);
    expect(shown.json.invoice).toMatchObject({ amountDue: 250000, dueDate: '2026-11-30', currency: 'EUR' });
    expect(refused.code).toBe(1);
    expect(refused.json.errors).toEqual([
      {
        row: 2,
        line: 2,
        column: 'Betrag',
        value: 'Betrag',
        reason: 'key appears twice in this object; which value is meant is unknown',
      },
    ]);
  });

  it.each([
    [{ columns: { amount: 'Betrag' } }, 'columns.amount: "amount" is not an import column'],
    [{ columns: {}, dateFormat: 'yyyy' }, 'dateFormat "yyyy" does not name a whole date'],
    [
      { columns: {}, decimalSeparator: ',', thousandsSeparator: ',' },
      'decimalSeparator and thousandsSeparator are both ","',
    ],
    [{ columns: {}, delimiter: ';' }, 'not a valid mapping'],
    [{ defaults: {} }, 'columns:'],
  ])('refuses the mapping %j naming the problem', async (document, message) => {
    const file = await write('offene-posten.csv', OFFENE_POSTEN);
    const mapping = await write('wrong.json', JSON.stringify(document));

    const result = await dunning('import', file, '--map', mapping, '--json');

    expect(result.code).toBe(1);
    expect(result.json.error).toContain(message);
  });
});
