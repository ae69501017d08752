import { describe, expect, it } from 'vitest';
import { type ImportDefaults, validateRow } from '../../functions/shared/domain/import/row-schema.ts';

const defaults: ImportDefaults = {
  timeZone: 'Europe/London',
  paymentUrlTemplate: 'https://pay.example.com/invoices/{invoiceId}',
};

const row = (cells: Record<string, string>) => ({
  invoice_id: 'INV-1',
  customer_id: 'C-1',
  customer_name: 'Acme, Inc.',
  customer_email: 'ap@acme.example',
  currency: 'USD',
  amount_due: '100.00',
  due_date: '2026-03-31',
  ...cells,
});

describe('Import amounts the store holds exactly', () => {
  it('accepts the largest amount exact in a JavaScript number (and so in a DynamoDB number)', () => {
    const result = validateRow(row({ amount_due: '90071992547409.91' }), defaults);

    expect(result).toMatchObject({ ok: true, row: { amountDue: Number.MAX_SAFE_INTEGER } });
  });

  it.each([
    ['amount_due', { amount_due: '90071992547409.92' }],
    ['amount_due', { currency: 'JPY', amount_due: '123456789012345678901234567890' }],
    ['amount_paid', { amount_due: '100.00', amount_paid: '99999999999999999.00' }],
  ])('refuses one beyond it in %s, naming the column', (column, cells) => {
    const result = validateRow(row(cells), defaults);

    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.problems).toContainEqual(
      expect.objectContaining({ column, reason: expect.stringMatching(/too large/) }),
    );
  });
});
