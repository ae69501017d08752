import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { rowItemCheck } from '../../functions/shared/adapters/dynamodb/import-item-limit.ts';
import { itemSize, numberSize } from '../../functions/shared/adapters/dynamodb/item-size.ts';
import { invoiceToItem } from '../../functions/shared/adapters/dynamodb/ledger-items.ts';
import { readImportBytes } from '../../functions/shared/adapters/files/import-file.ts';
import { importedInvoice, newInvoice } from '../../functions/shared/domain/import/records.ts';
import { type ImportRow, validateRow } from '../../functions/shared/domain/import/row-schema.ts';
import { ITEM_BYTES } from '../../functions/shared/domain/import/store-limits.ts';
import { validateImportFile } from '../../functions/shared/domain/import/validation-pass.ts';
import { loadPolicy } from '../../functions/shared/policy.ts';

const policy = loadPolicy();
const defaults = { timeZone: 'UTC', paymentUrlTemplate: 'https://pay.example.com/{invoiceId}' };

describe('DynamoDB item size', () => {
  // Each figure worked by hand from AWS's "DynamoDB item sizes and formats": name bytes + value.
  it.each([
    ['a string: name and value in UTF-8 bytes', { pk: 'INVOICE#A' }, 2 + 9],
    ['a string with a two-byte character', { name: 'Müller' }, 4 + 7],
    ['a number: 1 byte per two significant digits, plus 1', { amountDue: 123456 }, 9 + 3 + 1],
    ['a number whose trailing zeros are trimmed', { amountDue: 120000 }, 9 + 1 + 1],
    ['a number with leading zeros after the point', { rate: 0.0015 }, 4 + 1 + 1],
    ['zero', { n: 0 }, 1 + 1 + 1],
    ['a Boolean and a null: 1 byte each', { ok: true, none: null }, 2 + 1 + 4 + 1],
    ['an empty list and an empty map: 3 bytes', { flags: [], claims: {} }, 5 + 3 + 6 + 3],
    ['a list: 3 bytes, each element 1 more', { flags: ['a', 'bc'] }, 5 + 3 + (1 + 1) + (1 + 2)],
    [
      'a map: each element its name, value and 1 byte',
      { m: { ab: 'xyz', n: 7 } },
      1 + 3 + (1 + 2 + 3) + (1 + 1 + 2),
    ],
    ['a binary: its raw bytes, not its base64', { body: new Uint8Array(10) }, 4 + 10],
    ['a string set: the sum of its strings', { tags: new Set(['ab', 'c']) }, 4 + 2 + 1],
    ['an undefined attribute, which is not written', { a: 'x', b: undefined }, 1 + 1],
    [
      'a whole item',
      {
        itemType: 'SLOT',
        id: 'abc1231',
        hostName: 'Harry Mason',
        timeSlot: 'February 23, 1999',
        slotStatus: 'OPEN',
        createdAt: 'February 1, 1999',
        updatedAt: 'February 1, 1999',
        expiresAt: 2099,
      },
      12 + 9 + 19 + 25 + 14 + 25 + 25 + 12,
    ],
  ])('counts %s', (_, item, bytes) => {
    expect(itemSize(item)).toBe(bytes);
  });

  it('reads numbers in any notation the same way', () => {
    expect([numberSize(-42), numberSize('4.2e10'), numberSize(10n ** 30n)]).toEqual([2, 2, 2]);
  });
});

describe('Item limit at import', () => {
  const row = (overrides: Record<string, string> = {}) => {
    const checked = validateRow(
      {
        invoice_id: 'INV-1',
        customer_id: 'C-1',
        customer_name: 'Müller GmbH',
        customer_email: 'ap@mueller.example',
        currency: 'EUR',
        amount_due: '1234.50',
        due_date: '2026-03-01',
        ...overrides,
      },
      defaults,
    );
    if (!checked.ok) throw new Error('fixture row did not validate');
    return checked.row;
  };

  it('lets every item of the longest row the field limits allow through the 400 KB limit', () => {
    const longest = row({
      invoice_id: '€'.repeat(200),
      customer_id: '€'.repeat(200),
      invoice_number: '€'.repeat(200),
      customer_name: '€'.repeat(300),
      customer_address: '€'.repeat(1000),
      payment_url: `https://pay.example.com/${'a'.repeat(2000)}`,
    });

    expect(rowItemCheck()(longest, 2)).toBeUndefined();
    // The largest item it makes is measured, not waved through: it fits only with room to spare.
    expect(rowItemCheck(5_000)(longest, 2)?.bytes).toBeGreaterThan(5_000);
    expect(rowItemCheck(5_000)(longest, 2)?.bytes).toBeLessThan(ITEM_BYTES / 10);
  });

  describe('sizes the invoice item with the widest next action, never less than the applier writes', () => {
    // A long link makes the invoice item the row's largest, so the check reports its size.
    const linked = (overrides: Record<string, string>) =>
      row({ payment_url: `https://pay.example.com/${'p'.repeat(1500)}`, ...overrides });
    const applied = (invoice: ImportRow) => {
      const imported = importedInvoice(invoice, invoice.timeZone);
      return itemSize({ ...invoiceToItem(newInvoice(imported, policy)), importHash: imported.importHash });
    };

    it('an open invoice, whose next action the applier schedules: the same size', () => {
      const open = linked({});
      const found = rowItemCheck(0)(open, 2);

      expect(found?.item).toBe('invoice');
      expect(found?.bytes).toBe(applied(open));
    });

    it('a paid invoice, which has no next action: counted as if it had one', () => {
      const paid = linked({ amount_paid: '1234.50' });
      const found = rowItemCheck(0)(paid, 2);

      expect(found?.item).toBe('invoice');
      expect(found?.bytes).toBeGreaterThan(applied(paid));
    });
  });

  it('names the largest item a row makes when it is over the limit', () => {
    const found = rowItemCheck(500)(row({ customer_address: 'x'.repeat(900) }), 7);

    expect(found).toMatchObject({ limit: 500 });
    expect(found?.item).toMatch(/customer/);
    expect(found?.bytes).toBeGreaterThan(900);
  });

  it('refuses a file whose row is too large before anything is written, naming row, column and limit', async () => {
    const text = [
      'invoice_id,customer_id,customer_name,customer_email,currency,amount_due,due_date,customer_address',
      'I-1,C-1,A,a@x.example,EUR,1.00,2026-03-01,Short street 1',
      `I-2,C-2,B,b@x.example,EUR,1.00,2026-03-01,${'y'.repeat(900)}`,
    ].join('\n');

    const pass = await validateImportFile(
      (observer) => readImportBytes(() => Readable.from([Buffer.from(text)]), 'test.csv', 'csv', observer),
      'csv',
      text.length,
      defaults,
      undefined,
      rowItemCheck(700),
    );

    expect(pass.problems).toEqual([
      {
        row: 3,
        column: 'customer_address',
        value: `${'y'.repeat(200)}…`,
        reason: expect.stringMatching(
          /^its (staged )?customer item would take \d+ bytes, over the 700 bytes DynamoDB holds in one item$/,
        ),
      },
    ]);
  });
});
