import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readImportBytes } from '../../functions/shared/adapters/files/import-file.ts';
import { JsonArraySplitter } from '../../functions/shared/adapters/files/json-array-splitter.ts';
import { IMPORT_COLUMNS } from '../../functions/shared/domain/import/columns.ts';
import { validateRow } from '../../functions/shared/domain/import/row-schema.ts';
import { validateImportFile } from '../../functions/shared/domain/import/validation-pass.ts';
import { UserInputError } from '../../functions/shared/errors.ts';

const defaults = { timeZone: 'UTC', paymentUrlTemplate: 'https://pay.example.com/{invoiceId}' };

const validateCsv = (text: string) =>
  validateImportFile(
    (observer) => readImportBytes(() => Readable.from([Buffer.from(text)]), 'fuzz.csv', 'csv', observer),
    'csv',
    text.length,
    defaults,
  );

/** Text biased towards what breaks CSV: separators, quotes, line ends, a BOM, column names. */
const csvText = fc
  .array(
    fc.oneof(
      fc.constantFrom(',', '"', '\n', '\r\n', '\r', '\uFEFF', ' ', '""', '-1.5', '2026-02-30', 'USD', '@'),
      fc.constantFrom(...IMPORT_COLUMNS),
      fc.string({ maxLength: 8 }),
    ),
    { maxLength: 60 },
  )
  .map((parts) => parts.join(''));

const anyCell = fc.oneof(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 1 }), fc.constant(undefined));

describe('Import parser fuzzing', () => {
  it('never fails on any text other than with a user error', async () => {
    await fc.assert(
      fc.asyncProperty(csvText, async (text) => {
        try {
          const pass = await validateCsv(text);
          for (const problem of pass.problems) {
            expect(problem.row).toBeGreaterThanOrEqual(1);
            expect(problem.reason).not.toBe('');
          }
        } catch (error) {
          expect(error).toBeInstanceOf(UserInputError);
        }
      }),
      { numRuns: 1_500 },
    );
  });

  it('checks any row object without throwing, naming only known columns', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...IMPORT_COLUMNS, 'other'), anyCell), (row) => {
        const result = validateRow(row, defaults);
        if (!result.ok) {
          expect(result.problems.length).toBeGreaterThan(0);
          for (const problem of result.problems) expect(IMPORT_COLUMNS).toContain(problem.column);
        }
      }),
      { numRuns: 5_000 },
    );
  });

  it('reads back every cell of a quoted CSV exactly as written', async () => {
    const quote = (cell: string) => `"${cell.replaceAll('"', '""')}"`;
    const cell = fc.string({ unit: 'grapheme', maxLength: 10 });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(cell, cell), { minLength: 1, maxLength: 5 }), async (rows) => {
        const text = ['invoice_id,customer_address', ...rows.map((row) => row.map(quote).join(','))].join(
          '\r\n',
        );
        const read = [];
        for await (const row of readImportBytes(() => Readable.from([Buffer.from(text)]), 'fuzz.csv', 'csv'))
          read.push(row);
        const written = rows.filter((row) => row.some((value) => value.trim() !== ''));
        expect(read.map((row) => [row.values.invoice_id, row.values.customer_address])).toEqual(written);
      }),
      { numRuns: 500 },
    );
  });

  it('splits any JSON array into exactly its elements, whatever the chunking', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue()), fc.integer({ min: 1, max: 16 }), (elements, size) => {
        const text = JSON.stringify(elements, null, size % 3);
        const splitter = new JsonArraySplitter();
        const parts: string[] = [];
        for (let start = 0; start < text.length; start += size)
          parts.push(...splitter.push(text.slice(start, start + size)).map((element) => element.text));
        splitter.end();
        expect(parts.map((part) => JSON.parse(part))).toEqual(JSON.parse(text));
      }),
      { numRuns: 2_000 },
    );
  });
});
