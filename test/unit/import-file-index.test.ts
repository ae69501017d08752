import { describe, expect, it } from 'vitest';
import { FileIndex } from '../../functions/shared/domain/import/file-index.ts';
import { validateRow } from '../../functions/shared/domain/import/row-schema.ts';

const defaults = { timeZone: 'UTC', paymentUrlTemplate: 'https://pay.example.com/{invoiceId}' };

const row = (values: Record<string, string>) => {
  const result = validateRow(
    {
      customer_name: 'Acme',
      customer_email: 'ap@acme.example',
      currency: 'EUR',
      amount_due: '100.00',
      due_date: '2026-03-01',
      ...values,
    },
    defaults,
  );
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.row;
};

describe('Import file index', () => {
  it('keeps the first row of an invoice, the newest of a customer, and tells a conflict from a duplicate', () => {
    const index = new FileIndex();
    const first = row({ invoice_id: 'INV-1', customer_id: 'C1', customer_timezone: 'Europe/Berlin' });

    const added = [
      index.add(2, first),
      index.add(3, row({ invoice_id: 'INV-2', customer_id: 'C1', customer_timezone: 'Europe/Paris' })),
      index.add(4, first),
      index.add(5, row({ invoice_id: 'INV-1', customer_id: 'C1', amount_due: '200.00' })),
    ];

    expect(added).toEqual([undefined, undefined, undefined, 2]);
    expect([index.isFirstRowOf('INV-1', 2), index.isFirstRowOf('INV-1', 4)]).toEqual([true, false]);
    expect([index.isNewestRowOf('C1', 3), index.isNewestRowOf('C1', 4)]).toEqual([false, true]);
    expect(index.customerTimeZone('C1')).toBe('Europe/Berlin');
    expect(index.customerTimeZone('C2')).toBeUndefined();
    expect([index.invoiceCount, index.customerCount]).toEqual([2, 1]);
  });
});
