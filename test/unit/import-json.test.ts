import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readImportBytes } from '../../functions/shared/adapters/files/import-file.ts';
import { JsonArraySplitter } from '../../functions/shared/adapters/files/json-array-splitter.ts';
import { validateImportFile } from '../../functions/shared/domain/import/validation-pass.ts';

const defaults = { timeZone: 'UTC', paymentUrlTemplate: 'https://pay.example.com/{invoiceId}' };

const validate = (text: string, chunkSize = 7) => {
  const chunks: Buffer[] = [];
  const bytes = Buffer.from(text);
  for (let start = 0; start < bytes.length; start += chunkSize)
    chunks.push(bytes.subarray(start, start + chunkSize));
  return validateImportFile(
    (observer) => readImportBytes(() => Readable.from(chunks), 'test.json', 'json', observer),
    'json',
    bytes.length,
    defaults,
  );
};

const good = {
  invoice_id: 'J-1',
  customer_id: 'JC-1',
  customer_name: 'Müller GmbH',
  customer_email: 'buchhaltung@mueller.example',
  currency: 'EUR',
  amount_due: '1234.50',
  due_date: '2026-03-31',
};

describe('JSON import file', () => {
  it('reads an array of objects split across chunks, even inside multi-byte characters', async () => {
    const pass = await validate(JSON.stringify([good, { ...good, invoice_id: 'J-2' }], null, 2), 3);
    expect([pass.rows, pass.problems, pass.index.invoiceCount]).toEqual([2, [], 2]);
  });

  it('rejects a number for an amount, numbering rows as array index + 2', async () => {
    const pass = await validate(JSON.stringify([good, { ...good, invoice_id: 'J-2', amount_due: 1234.5 }]));
    expect(pass.problems).toEqual([
      {
        row: 3,
        // JSON.stringify writes one line: the editor shows every element on line 1.
        line: 1,
        column: 'amount_due',
        value: '1234.5',
        reason: 'amounts must be decimal strings such as "1234.50", not JSON numbers',
      },
    ]);
  });

  it('names an element that is not an object', async () => {
    const pass = await validate(JSON.stringify([good, 'J-2', null]));
    expect(pass.problems.map((problem) => [problem.row, problem.reason])).toEqual([
      [3, 'expected an object with the import columns as keys'],
      [4, 'expected an object with the import columns as keys'],
    ]);
  });

  it('refuses a key given twice in one object, in any case, naming the element and its line', async () => {
    const text = `[\n  {"invoice_id": "J-1"},\n  {\n    "amount_due": "1.00",\n    "Amount_Due": "2.00",\n    "x": 1, "x": 2\n  }\n]`;

    const pass = await validate(text);

    expect(pass.problems.filter((problem) => problem.reason.startsWith('key appears twice'))).toEqual([
      expect.objectContaining({ row: 3, line: 3, column: 'x' }),
      expect.objectContaining({ row: 3, line: 3, column: 'amount_due' }),
    ]);
  });

  it('names unknown keys in a warning', async () => {
    const pass = await validate(JSON.stringify([{ ...good, region: 'EMEA', Notes: 'x' }]));
    expect(pass.warnings).toEqual(['ignored unknown columns: notes, region']);
  });

  it.each([
    ['an object instead of an array', '{"invoice_id": "J-1"}', /expected a JSON array/],
    ['an unclosed array', '[{"invoice_id": "J-1"}', /not closed/],
    ['a trailing comma', '[{"invoice_id": "J-1"},]', /comma/],
    ['a broken element', '[{"invoice_id": J-1}]', /not valid JSON/],
  ])('refuses %s as a user error', async (_case, text, message) => {
    await expect(validate(text)).rejects.toThrowError(message);
  });
});

describe('JSON array splitter', () => {
  it('cuts elements whatever the chunking, ignoring brackets and quotes inside strings', () => {
    const text = '\uFEFF [ {"a":"x,]}\\"y"}, 1, "s", [1,[2]], null ,{"b":{}}]  ';
    for (let size = 1; size <= text.length; size += 1) {
      const splitter = new JsonArraySplitter();
      const elements: string[] = [];
      for (let start = 0; start < text.length; start += size)
        elements.push(...splitter.push(text.slice(start, start + size)).map((element) => element.text));
      splitter.end();
      expect(elements).toEqual(['{"a":"x,]}\\"y"}', '1', '"s"', '[1,[2]]', 'null', '{"b":{}}']);
    }
  });
});
