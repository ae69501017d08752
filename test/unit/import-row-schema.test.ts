import { describe, expect, it } from 'vitest';
import { type ImportDefaults, validateRow } from '../../functions/shared/domain/import/row-schema.ts';

const defaults: ImportDefaults = {
  timeZone: 'Europe/London',
  paymentUrlTemplate: 'https://pay.example.com/invoices/{invoiceId}',
};

const goodRow = {
  invoice_id: 'INV-1',
  customer_id: 'C-1',
  customer_name: 'Acme, Inc.',
  customer_email: 'ap@acme.example',
  currency: 'USD',
  amount_due: '1234.50',
  due_date: '2026-03-31',
};

const problemsOf = (row: Record<string, unknown>) => {
  const result = validateRow(row, defaults);
  return result.ok ? [] : result.problems;
};

describe('Import row schema', () => {
  it('takes an id, an address and a link up to their limits exactly, and refuses one more', () => {
    // 200 characters, here 3-byte "€"s: 600 bytes, inside the 991 a store key leaves an id.
    const id = (length: number) => '€'.repeat(length);
    // RFC 5321: 254 characters in all.
    const email = (length: number) => `${'a'.repeat(length - '@acme.example'.length)}@acme.example`;
    const url = (length: number) => {
      const base = 'https://pay.example.com/';
      return `${base}${'x'.repeat(length - base.length)}`;
    };
    const fields = (row: Record<string, unknown>) => problemsOf(row).map((problem) => problem.column);

    expect(fields({ ...goodRow, invoice_id: id(200), customer_id: id(200) })).toEqual([]);
    expect(fields({ ...goodRow, invoice_id: id(201), customer_id: id(201) })).toEqual([
      'invoice_id',
      'customer_id',
    ]);
    expect(fields({ ...goodRow, customer_email: email(254) })).toEqual([]);
    expect(fields({ ...goodRow, customer_email: email(255) })).toEqual(['customer_email']);
    expect(fields({ ...goodRow, payment_url: url(2048) })).toEqual([]);
    expect(fields({ ...goodRow, payment_url: url(2049) })).toEqual(['payment_url']);
  });

  it('accepts a row with only the required columns and fills in every default', () => {
    // Prepare / Act
    const result = validateRow({ ...goodRow, invoice_id: 'INV 1/ä' }, defaults);

    // Assess
    expect(result).toEqual({
      ok: true,
      row: {
        invoiceId: 'INV 1/ä',
        invoiceNumber: 'INV 1/ä',
        customerId: 'C-1',
        customerName: 'Acme, Inc.',
        customerEmail: 'ap@acme.example',
        currency: 'USD',
        amountDue: 123450,
        amountPaid: 0,
        dueDate: '2026-03-31',
        locale: 'en-US',
        timeZone: 'Europe/London',
        paymentUrl: 'https://pay.example.com/invoices/INV%201%2F%C3%A4',
        customerType: 'business',
        country: 'GB',
      },
    });
  });

  describe('customer_country and customer_phone', () => {
    const rowOf = (cells: Record<string, string>) => {
      const result = validateRow({ ...goodRow, ...cells }, defaults);
      if (!result.ok) throw new Error(JSON.stringify(result.problems));
      return result.row;
    };

    it.each([
      ['Europe/Rome', 'IT'],
      ['America/New_York', 'US'],
      ['Asia/Kolkata', 'IN'],
      ['Europe/Zurich', 'CH'],
    ])('takes the country the zone %s names: %s', (zone, country) => {
      expect(rowOf({ customer_timezone: zone }).country).toBe(country);
    });

    it('leaves the country out when the zone names none', () => {
      expect(rowOf({ customer_timezone: 'UTC' }).country).toBeUndefined();
      expect(rowOf({ customer_timezone: 'Etc/GMT+5' }).country).toBeUndefined();
    });

    it('prefers the column to the zone, and reads it in any case', () => {
      expect(rowOf({ customer_timezone: 'Europe/Berlin', customer_country: 'at' }).country).toBe('AT');
    });

    it.each(['ZZ', 'DEU', 'Germany', '12'])('refuses the country %s with its column', (value) => {
      expect(problemsOf({ ...goodRow, customer_country: value })).toEqual([
        { column: 'customer_country', value, reason: 'not an ISO 3166-1 alpha-2 country code such as "DE"' },
      ]);
    });

    it('stores an E.164 number in international notation', () => {
      expect(rowOf({ customer_phone: '+442079460958' }).phone).toBe('+44 20 7946 0958');
      expect(rowOf({ customer_phone: '0049 30 901820' }).phone).toBe('+49 30 901820');
    });

    it("reads a national number in the customer's country, given or from the zone", () => {
      expect(rowOf({ customer_phone: '030 901820', customer_country: 'DE' }).phone).toBe('+49 30 901820');
      expect(rowOf({ customer_phone: '(212) 555-0123', customer_timezone: 'America/New_York' }).phone).toBe(
        '+1 212 555 0123',
      );
    });

    it('refuses a national number without a country, and one that is no number, with row and column', () => {
      expect(problemsOf({ ...goodRow, customer_phone: '030 901820', customer_timezone: 'UTC' })).toEqual([
        {
          column: 'customer_phone',
          value: '030 901820',
          reason: 'a national number needs customer_country (or write it in E.164, e.g. "+442079460958")',
        },
      ]);
      expect(problemsOf({ ...goodRow, customer_phone: '12', customer_country: 'DE' })).toEqual([
        { column: 'customer_phone', value: '12', reason: 'not a valid phone number in DE' },
      ]);
      expect(problemsOf({ ...goodRow, customer_phone: '+999 123', customer_email: 'not-an-email' })).toEqual([
        expect.objectContaining({ column: 'customer_email' }),
        expect.objectContaining({ column: 'customer_phone', value: '+999 123' }),
      ]);
    });
  });

  it.each([
    ['consumer', 'consumer'],
    ['Business', 'business'],
    [' CONSUMER ', 'consumer'],
  ])('reads customer_type %j as %s', (cell, type) => {
    const result = validateRow({ ...goodRow, customer_type: cell }, defaults);
    expect(result.ok && result.row.customerType).toBe(type);
  });

  it('refuses a customer_type that is neither business nor consumer, naming the column', () => {
    expect(problemsOf({ ...goodRow, customer_type: 'company' })).toEqual([
      { column: 'customer_type', value: 'company', reason: 'expected "business" or "consumer"' },
    ]);
  });

  it.each([
    ['KWD', '12.345', 12345],
    ['JPY', '1200', 1200],
    ['usd', '0.5', 50],
    ['EUR', '1000000', 100000000],
  ])('stores %s %s as %i minor units', (currency, amount, minor) => {
    const result = validateRow({ ...goodRow, currency, amount_due: amount }, defaults);
    expect(result.ok && result.row.amountDue).toBe(minor);
  });

  it('reports a too precise amount next to the other bad cells of the same row', () => {
    const problems = problemsOf({
      ...goodRow,
      customer_email: 'not-an-email',
      amount_due: '12.345',
      amount_paid: '99.00',
      due_date: '2026-02-30',
    });

    expect(problems.map((problem) => problem.column)).toEqual(['customer_email', 'amount_due', 'due_date']);
    expect(problems[1]).toEqual({
      column: 'amount_due',
      value: '12.345',
      reason: 'USD allows at most 2 decimals',
    });
  });

  it('reports amount_paid above amount_due even when another cell is bad', () => {
    const problems = problemsOf({ ...goodRow, customer_name: '', amount_due: '10.00', amount_paid: '20.00' });

    expect(problems.map((problem) => problem.column)).toEqual(['customer_name', 'amount_paid']);
  });

  it('keeps the optional columns, canonical locale and address lines', () => {
    const result = validateRow(
      {
        ...goodRow,
        invoice_number: ' 2026-0001 ',
        issue_date: '2026-03-01',
        amount_paid: '100.00',
        customer_locale: 'de-de',
        customer_timezone: 'Asia/Kolkata',
        customer_address: 'Hauptstraße 1\\n10115 Berlin',
        payment_url: 'https://pay.example.com/x?id=1',
        customer_email: 'Jane Doe <jane@acme.example>',
      },
      defaults,
    );
    expect(result).toMatchObject({
      ok: true,
      row: {
        invoiceNumber: '2026-0001',
        issueDate: '2026-03-01',
        amountPaid: 10000,
        locale: 'de-DE',
        timeZone: 'Asia/Kolkata',
        address: 'Hauptstraße 1\n10115 Berlin',
        paymentUrl: 'https://pay.example.com/x?id=1',
        customerEmail: 'jane@acme.example',
      },
    });
  });

  it.each([
    ['a missing required field', { customer_name: '' }, 'customer_name', /required/],
    ['an absent required key', { customer_email: undefined }, 'customer_email', /required/],
    ['an unknown currency', { currency: 'XYZ' }, 'currency', /unknown ISO 4217/],
    ['a malformed amount', { amount_due: '1,234.50' }, 'amount_due', /decimal amount/],
    ['a negative amount', { amount_due: '-5.00' }, 'amount_due', /negative/],
    ['an amount too precise for USD', { amount_due: '12.345' }, 'amount_due', /at most 2 decimals/],
    ['a decimal yen amount', { currency: 'JPY', amount_due: '1200.5' }, 'amount_due', /no minor unit/],
    ['amount_paid above amount_due', { amount_paid: '1234.51' }, 'amount_paid', /more than amount_due/],
    ['an impossible date', { due_date: '2026-02-30' }, 'due_date', /impossible date/],
    ['a date in another format', { due_date: '31/03/2026' }, 'due_date', /ISO date/],
    ['an impossible issue date', { issue_date: '2026-13-01' }, 'issue_date', /impossible date/],
    ['an address that is not RFC 5322', { customer_email: 'ap@' }, 'customer_email', /RFC 5322/],
    ['two addresses', { customer_email: 'a@x.example, b@x.example' }, 'customer_email', /RFC 5322/],
    ['an unknown IANA zone', { customer_timezone: 'Mars/Olympus' }, 'customer_timezone', /IANA/],
    ['an offset instead of a zone', { customer_timezone: '+05:30' }, 'customer_timezone', /IANA/],
    ['a locale that is not BCP 47', { customer_locale: 'en_US!' }, 'customer_locale', /BCP 47/],
    ['a JSON number as amount', { amount_due: 1234.5 }, 'amount_due', /decimal strings/],
    ['a JSON number as amount paid', { amount_paid: 0 }, 'amount_paid', /decimal strings/],
    ['a payment link that is not http(s)', { payment_url: 'javascript:alert(1)' }, 'payment_url', /http/],
    ['an id with a line break', { invoice_id: 'A\nB' }, 'invoice_id', /line break/],
  ])('rejects %s', (_case, change, column, reason) => {
    // Act
    const problems = problemsOf({ ...goodRow, ...change });

    // Assess
    expect(problems).toHaveLength(1);
    expect(problems[0]?.column).toBe(column);
    expect(problems[0]?.reason).toMatch(reason);
  });

  it('reports every bad cell of a row at once, in column order, with the value as written', () => {
    const problems = problemsOf({
      ...goodRow,
      due_date: '2026-02-30',
      customer_email: 'nope',
      customer_id: '  ',
      customer_locale: '12345678901',
    });
    expect(problems).toEqual([
      { column: 'customer_id', value: '  ', reason: 'required field is empty' },
      { column: 'customer_email', value: 'nope', reason: 'not an RFC 5322 email address' },
      { column: 'due_date', value: '2026-02-30', reason: 'impossible date: no such day in the calendar' },
      {
        column: 'customer_locale',
        value: '12345678901',
        reason: 'not a valid BCP 47 language tag such as "en-GB"',
      },
    ]);
  });

  it('accepts ids given as JSON integers', () => {
    const result = validateRow({ ...goodRow, invoice_id: 1001, customer_id: 7 }, defaults);
    expect(result.ok && [result.row.invoiceId, result.row.customerId]).toEqual(['1001', '7']);
  });
});
