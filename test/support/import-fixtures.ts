import type { StagedRow } from '../../functions/shared/adapters/dynamodb/import-store.ts';
import { importedCustomer, importedInvoice } from '../../functions/shared/domain/import/records.ts';
import { validateRow } from '../../functions/shared/domain/import/row-schema.ts';

/** The deployment's defaults for what an import row leaves out, as the guard suites set them. */
export const importDefaults = {
  timeZone: 'UTC',
  paymentUrlTemplate: 'https://pay.example.com/invoices/{invoiceId}',
};

/** One import row of the contract's columns: a EUR 120.00 invoice due on 1 March 2026. */
export const importRow = (invoiceId: string, amountDue = '120.00') => ({
  invoice_id: invoiceId,
  customer_id: `C-${invoiceId}`,
  customer_name: `Customer ${invoiceId}`,
  customer_email: `${invoiceId.toLowerCase()}@customer.example`,
  currency: 'EUR',
  amount_due: amountDue,
  due_date: '2026-03-01',
});

/** The same row as a CSV file's text, header included. */
export const importCsv = (invoiceId: string, amountDue?: string): string => {
  const fields = importRow(invoiceId, amountDue);
  return `${Object.keys(fields).join(',')}\n${Object.values(fields).join(',')}\n`;
};

/** What an importer stages for that row (its customer, then its invoice), as if it had read the file. */
export const stagedRows = (invoiceId: string): StagedRow[] => {
  const result = validateRow(importRow(invoiceId), importDefaults);
  if (!result.ok) throw new Error(`row ${invoiceId} did not validate`);
  return [
    { part: 'CUSTOMER', row: 2, customer: importedCustomer(result.row) },
    { part: 'INVOICE', row: 2, invoice: importedInvoice(result.row, result.row.timeZone) },
  ];
};
