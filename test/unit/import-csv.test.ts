import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readImportBytes } from '../../functions/shared/adapters/files/import-file.ts';
import { validateImportFile } from '../../functions/shared/domain/import/validation-pass.ts';
import { UserInputError } from '../../functions/shared/errors.ts';

const defaults = { timeZone: 'UTC', paymentUrlTemplate: 'https://pay.example.com/{invoiceId}' };

const rowsOf = async (text: string) => {
  const rows = [];
  for await (const row of readImportBytes(() => Readable.from([Buffer.from(text)]), 'test.csv', 'csv'))
    rows.push(row);
  return rows;
};

const validate = (text: string) =>
  validateImportFile(
    (observer) => readImportBytes(() => Readable.from([Buffer.from(text)]), 'test.csv', 'csv', observer),
    'csv',
    text.length,
    defaults,
  );

const HEADER = 'invoice_id,customer_id,customer_name,customer_email,currency,amount_due,due_date';

describe('CSV import file', () => {
  it('warns, without refusing the file, about locales whose language has no templates', async () => {
    const text = [
      `${HEADER},customer_locale`,
      'I-1,C-1,A,a@x.example,EUR,1.00,2026-03-01,ar-EG',
      'I-2,C-2,B,b@x.example,EUR,1.00,2026-03-01,ar-EG',
      'I-3,C-3,C,c@x.example,EUR,1.00,2026-03-01,de-AT',
      'I-4,C-4,D,d@x.example,EUR,1.00,2026-03-01,pt-BR',
    ].join('\n');

    const pass = await validateImportFile(
      (observer) => readImportBytes(() => Readable.from([Buffer.from(text)]), 'test.csv', 'csv', observer),
      'csv',
      text.length,
      { ...defaults, templateLanguages: ['de', 'en', 'es', 'fr', 'ja'] },
    );

    expect(pass.problems).toEqual([]);
    expect(pass.warnings).toEqual([
      'customer_locale without reminder templates: ar-EG (2 rows), pt-BR (1 row); these customers get reminders in English, with English dates and amounts',
    ]);
  });

  it('reads a UTF-8 BOM, CRLF line ends and a quoted address spanning lines', async () => {
    // Prepare
    const text =
      '\uFEFFinvoice_id,customer_address,customer_name\r\nI-1,"1 Main St\r\nSpringfield, IL","Acme ""East"", Inc."\r\n';

    // Act
    const rows = await rowsOf(text);

    // Assess
    expect(rows).toEqual([
      {
        row: 2,
        values: {
          invoice_id: 'I-1',
          customer_address: '1 Main St\nSpringfield, IL',
          customer_name: 'Acme "East", Inc.',
        },
      },
    ]);
  });

  it('matches columns by name in any order and any case', async () => {
    const rows = await rowsOf('Due_Date , INVOICE_ID\n2026-03-31,I-1\n');
    expect(rows[0]?.values).toEqual({ due_date: '2026-03-31', invoice_id: 'I-1' });
  });

  it('numbers rows by the line the editor shows, the header being row 1, with the record beside it', async () => {
    const rows = await rowsOf('invoice_id,customer_address\nA\n\nB,"1 Main St\r\nSpringfield"\n,\nC\n');
    expect(rows.map((row) => [row.row, row.record, row.values.invoice_id])).toEqual([
      [2, undefined, 'A'],
      [4, 3, 'B'],
      [7, 5, 'C'],
    ]);
  });

  it('flags a row with more fields than the header', async () => {
    const rows = await rowsOf('invoice_id,customer_id\nA,B,surplus\n');
    expect(rows[0]?.unreadable).toBe('has 3 fields, the header has 2');
  });

  it('refuses an unclosed quote as a user error naming the file', async () => {
    await expect(rowsOf('invoice_id\n"A\n')).rejects.toThrowError(/test\.csv: not valid CSV/);
  });

  it('imports a good file and names ignored extra columns in a warning', async () => {
    // Act
    const pass = await validate(
      `notes,${HEADER},region\nfirst,I-1,C-1,Acme,ap@acme.example,USD,10.00,2026-03-31,EU\n`,
    );

    // Assess
    expect(pass.problems).toEqual([]);
    expect(pass.rows).toBe(1);
    expect(pass.warnings).toEqual(['ignored unknown columns: notes, region']);
  });

  it('reports a required column missing from the header once, not once per row', async () => {
    const pass = await validate(
      'invoice_id,customer_id,customer_name,customer_email,amount_due,due_date\nI-1,C-1,A,a@a.example,1,2026-01-01\nI-2,C-1,A,a@a.example,1,2026-01-01\n',
    );
    expect(pass.problems).toEqual([
      { row: 1, column: 'currency', value: '', reason: 'required column is missing from the header' },
    ]);
  });

  it('accepts an identical duplicate row and rejects a conflicting one, naming the first row', async () => {
    const line = 'I-1,C-1,Acme,ap@acme.example,USD,10.00,2026-03-31';
    const pass = await validate(
      `${HEADER}\n${line}\n${line}\nI-1,C-1,Acme,ap@acme.example,USD,11.00,2026-03-31\n`,
    );
    expect(pass.problems).toEqual([
      { row: 4, column: 'invoice_id', value: 'I-1', reason: 'same invoice_id as row 2 with different data' },
    ]);
  });

  it('lists every bad row of the file', async () => {
    const pass = await validate(
      `${HEADER}\nI-1,C-1,Acme,ap@acme.example,USD,12.345,2026-03-31\nI-2,C-1,Acme,ap@acme.example,USD,1.00,2026-03-31\nI-3,C-1,Acme,bad,USD,1.00,2026-02-30\n`,
    );
    expect(pass.problems.map((problem) => [problem.row, problem.column])).toEqual([
      [2, 'amount_due'],
      [4, 'customer_email'],
      [4, 'due_date'],
    ]);
  });

  it('finds a header-only file has no rows', async () => {
    const pass = await validate(`${HEADER}\r\n`);
    expect([pass.rows, pass.problems]).toEqual([0, []]);
  });

  it('raises only user errors for malformed CSV', async () => {
    await expect(validate('a,"b\n"c')).rejects.toBeInstanceOf(UserInputError);
  });
});
