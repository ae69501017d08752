import { importedCustomer, importedInvoice, newCustomer, newInvoice } from '../../domain/import/records.ts';
import type { ImportRow } from '../../domain/import/row-schema.ts';
import { ITEM_BYTES } from '../../domain/import/store-limits.ts';
import type { OversizedItem, RowItemCheck } from '../../domain/import/validation-pass.ts';
import type { Policy } from '../../domain/policy.ts';
import { customerEmailItem } from './customer-care-email-index.ts';
import { itemSize } from './item-size.ts';
import { importStagedKey } from './keys.ts';
import { customerToItem, invoiceToItem } from './ledger-items.ts';

/** The widest values the staged rows carry in place of ones only known at write time. */
const WIDEST_IMPORT_ID = 'f'.repeat(32);
const WIDEST_EXPIRY = 9_999_999_999;

/** Every item one valid row makes, as the import stages and then applies it, by what it is. */
const rowItems = (row: ImportRow, rowNumber: number, policy: Policy) => {
  const invoice = importedInvoice(row, row.timeZone);
  const customer = importedCustomer(row);
  const staged = (part: 'INVOICE' | 'CUSTOMER') => ({
    ...importStagedKey(WIDEST_IMPORT_ID, part, rowNumber),
    type: 'import-staged',
    expiresAt: WIDEST_EXPIRY,
  });
  return {
    invoice: { ...invoiceToItem(newInvoice(invoice, policy)), importHash: invoice.importHash },
    'staged invoice': { ...staged('INVOICE'), invoice },
    customer: { ...customerToItem(newCustomer(customer)), importHash: customer.importHash },
    'staged customer': { ...staged('CUSTOMER'), customer },
    'customer email index': customerEmailItem(customer.customerId, customer.email),
  };
};

/**
 * The check an import makes of every valid row before it writes anything: the largest item the row
 * would write, sized by DynamoDB's rules, against the 400 KB item limit (or `limit`); undefined when
 * every item fits.
 */
export const rowItemCheck =
  (policy: Policy, limit: number = ITEM_BYTES): RowItemCheck =>
  (row, rowNumber) => {
    let largest: OversizedItem | undefined;
    for (const [item, value] of Object.entries(rowItems(row, rowNumber, policy))) {
      const bytes = itemSize(value);
      if (bytes > limit && (!largest || bytes > largest.bytes)) largest = { item, bytes, limit };
    }
    return largest;
  };
