import fc from 'fast-check';
import { IMPORT_COLUMNS } from '../functions/shared/domain/import/columns.ts';

/**
 * Generators of hostile input: import files and signed webhook bodies built to break parsers,
 * schemas and stores (unicode, very long fields, quotes and line ends everywhere, spreadsheet
 * formula prefixes, deep JSON, wrong types, `__proto__` keys, huge numbers, truncation).
 */

const FORMULAS = [
  '=1+1',
  '+1',
  '-1',
  '@SUM(A1)',
  '=HYPERLINK("http://evil.example","x")',
  '=cmd|" /C calc"!A0',
];

const hostileText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(...FORMULAS),
  fc.constantFrom(
    'a"b',
    '"',
    '""',
    'a,b',
    'line\nbreak',
    'cr\rlf\r\n',
    '\u0000',
    '\uFEFFbom',
    '\u202Eevil',
    ' ',
  ),
  fc.constantFrom('x'.repeat(70_000), 'é'.repeat(20_000), '9'.repeat(400)),
  fc.constantFrom('<script>alert(1)</script>', 'Ada\r\nBcc: victim@example.com', '__proto__', 'constructor'),
);

/** A row that is valid until a few of its columns are replaced by hostile values. */
const validRow = (row: number): Record<string, string> => ({
  invoice_id: `H-${row}`,
  customer_id: `HC-${row % 3}`,
  customer_name: `Customer ${row % 3}`,
  customer_email: `hc-${row % 3}@customer.example`,
  currency: 'EUR',
  amount_due: '120.50',
  due_date: '2027-03-01',
});

/** Every import column (docs/cli.md), so each one gets hostile values. */
const COLUMNS = IMPORT_COLUMNS;

const csvCell = (value: string) => `"${value.replaceAll('"', '""')}"`;

const hostileRows = fc
  .array(fc.dictionary(fc.constantFrom(...COLUMNS), hostileText, { maxKeys: 3 }), {
    minLength: 1,
    maxLength: 4,
  })
  .map((patches) => patches.map((patch, row) => ({ ...validRow(row), ...patch })));

/** Well-formed CSV (RFC 4180 quoting) carrying hostile values, or CSV broken on purpose. */
const csvFiles = fc.oneof(
  hostileRows.map((rows) => {
    const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
    const lines = rows.map((row) => columns.map((column) => csvCell(row[column] ?? '')).join(','));
    return `${columns.join(',')}\r\n${lines.join('\r\n')}\r\n`;
  }),
  fc.constantFrom(
    '',
    '\uFEFF',
    'invoice_id,customer_id\n',
    'invoice_id,invoice_id,customer_id\nA,B,C\n',
    'invoice_id,customer_id,customer_name,customer_email,currency,amount_due,due_date\n"H-1,HC-1,Ada,a@x.example,EUR,1.00,2027-03-01\n',
    'invoice_id,customer_id,customer_name,customer_email,currency,amount_due,due_date\nH-1,HC-1,Ada,a@x.example,EUR,1.00,2027-03-01,extra,cells\nH-2\n',
  ),
);

/** A JSON value nested `depth` levels deep, written as text (no recursion to build it). */
const deepJson = (depth: number) => `${'['.repeat(depth)}1${']'.repeat(depth)}`;

const wrongType = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(1e308, -0, 2 ** 64, Number.MAX_SAFE_INTEGER + 2, true, null),
);

/** JSON files: arrays of rows with hostile strings or wrong types, deep nesting, `__proto__` keys. */
const jsonFiles = fc.oneof(
  hostileRows.map((rows) => JSON.stringify(rows)),
  fc
    .array(fc.dictionary(fc.constantFrom(...COLUMNS), wrongType, { maxKeys: 4 }), {
      minLength: 1,
      maxLength: 3,
    })
    .map((patches) => JSON.stringify(patches.map((patch, row) => ({ ...validRow(row), ...patch })))),
  fc.constantFrom(
    deepJson(100_000),
    `[${deepJson(5_000)}]`,
    `[{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},${JSON.stringify(validRow(0)).slice(1)}]`,
    '{"invoice_id":"H-1"}',
    '[1,2,3]',
    '[{"invoice_id":"H-1",',
    `[${JSON.stringify(validRow(0))},{"amount_due":1e999}]`,
  ),
);

export interface HostileFile {
  readonly name: string;
  readonly content: string;
}

export const hostileImportFiles: fc.Arbitrary<HostileFile> = fc.oneof(
  csvFiles.map((content) => ({ name: 'hostile.csv', content })),
  jsonFiles.map((content) => ({ name: 'hostile.json', content })),
);

export interface HostileWebhook {
  readonly path: '/webhooks/stripe' | '/webhooks/payments';
  readonly body: Buffer;
  readonly contentType?: string;
}

const jsonKeys = fc.constantFrom(
  '__proto__',
  'constructor',
  'prototype',
  'type',
  'data',
  'id',
  'object',
  'amount',
);

/** Bodies shaped like each provider's, with hostile values where the schema looks. */
const shapedBody = (invoiceId: string) =>
  fc.oneof(
    fc.record({
      type: fc.oneof(fc.constantFrom('payment.succeeded', 'payment.refunded'), hostileText),
      data: fc.record({
        invoiceId: fc.oneof(fc.constant(invoiceId), hostileText, wrongType),
        paymentId: fc.oneof(fc.constant('pay_1'), hostileText, wrongType),
        amount: fc.oneof(fc.integer(), wrongType, fc.constantFrom(2 ** 53, 1e21, 0.5, -1)),
        currency: fc.oneof(fc.constant('EUR'), hostileText),
        occurredAt: fc.oneof(fc.constant('2027-03-01T12:00:00Z'), hostileText),
      }),
    }),
    fc.record({
      id: fc.oneof(fc.constant('evt_1'), hostileText),
      object: fc.constant('event'),
      created: fc.oneof(fc.constant(1_800_000_000), wrongType),
      type: fc.constantFrom(
        'payment_intent.succeeded',
        'charge.refunded',
        'invoice.paid',
        'checkout.session.completed',
      ),
      data: fc.record({
        object: fc.record({
          id: fc.oneof(fc.constant('pi_1'), hostileText),
          amount_received: fc.oneof(fc.nat(), wrongType, fc.constantFrom(2 ** 53, 1e21)),
          amount_paid: fc.oneof(fc.nat(), wrongType),
          amount_total: fc.oneof(fc.nat(), wrongType),
          amount_refunded: fc.oneof(fc.nat(), wrongType),
          payment_status: fc.constantFrom('paid', 'unpaid'),
          currency: fc.oneof(fc.constant('eur'), hostileText),
          metadata: fc.oneof(fc.constant({ invoice_id: invoiceId }), fc.dictionary(jsonKeys, wrongType)),
        }),
        previous_attributes: fc.oneof(fc.constant(undefined), fc.dictionary(jsonKeys, wrongType)),
      }),
    }),
  );

const bodyText = (invoiceId: string) =>
  fc.oneof(
    fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)),
    fc.dictionary(jsonKeys, fc.jsonValue({ maxDepth: 2 })).map((value) => JSON.stringify(value)),
    shapedBody(invoiceId).map((value) => JSON.stringify(value)),
    shapedBody(invoiceId).map((value) => `{"__proto__":{"polluted":"yes"},${JSON.stringify(value).slice(1)}`),
    fc.constantFrom(
      deepJson(50_000),
      '{"type":"payment.succeeded","data":{"amount":1e999}}',
      '',
      'null',
      '\u0000',
    ),
  );

export const hostileWebhooks = (invoiceId: string): fc.Arbitrary<HostileWebhook> =>
  fc
    .tuple(
      fc.constantFrom('/webhooks/stripe' as const, '/webhooks/payments' as const),
      bodyText(invoiceId),
      fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.nat() }),
      fc.constantFrom(
        undefined,
        'application/json',
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        '',
      ),
    )
    .map(([path, text, cut, contentType]) => {
      // A truncated body is cut before signing: the signature is right, the JSON is not.
      const bytes = Buffer.from(text, 'utf8');
      const body = cut === undefined || bytes.length === 0 ? bytes : bytes.subarray(0, cut % bytes.length);
      return { path, body, ...(contentType === undefined ? {} : { contentType }) };
    });
