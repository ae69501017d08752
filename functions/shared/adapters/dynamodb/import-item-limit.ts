import {
  importedCustomer,
  importedInvoice,
  newCustomer,
  openedInvoice,
} from '../../domain/import/records.ts';
import type { ImportRow } from '../../domain/import/row-schema.ts';
import { ITEM_BYTES } from '../../domain/import/store-limits.ts';
import type { OversizedItem, RowItemCheck } from '../../domain/import/validation-pass.ts';
import { customerEmailItem } from './customer-care-email-index.ts';
import { itemSize } from './item-size.ts';
import { importStagedKey } from './keys.ts';
import { customerToItem, invoiceToItem } from './ledger-items.ts';

/** The widest values the staged rows carry in place of ones only known at write time. */
const WIDEST_IMPORT_ID = 'f'.repeat(32);
const WIDEST_EXPIRY = 9_999_999_999;
/**
 * An invoice's next action (and the due-index keys made from it) is a fixed-width instant that moves
 * with every stage, or is absent once there is none: the item is sized with one, the widest it gets.
 * That spares working out every row's schedule in its zone, which took most of the validation pass.
 */
const WIDEST_NEXT_ACTION = '9999-12-31T23:59:59.999Z';

/** Every item one valid row makes, as the import stages and then applies it, by what it is. */
const rowItems = (row: ImportRow, rowNumber: number) => {
  const invoice = importedInvoice(row, row.timeZone);
  const customer = importedCustomer(row);
  // As the import store and the applier build them (Object.assign: see domain/import/records.ts).
  const staged = (part: 'INVOICE' | 'CUSTOMER', body: object) =>
    Object.assign(importStagedKey(WIDEST_IMPORT_ID, part, rowNumber), { type: 'import-staged' }, body, {
      expiresAt: WIDEST_EXPIRY,
    });
  const opened = Object.assign(openedInvoice(invoice), { nextActionAt: WIDEST_NEXT_ACTION });
  return {
    invoice: Object.assign(invoiceToItem(opened), { importHash: invoice.importHash }),
    'staged invoice': staged('INVOICE', { invoice }),
    customer: Object.assign(customerToItem(newCustomer(customer)), { importHash: customer.importHash }),
    'staged customer': staged('CUSTOMER', { customer }),
    'customer email index': customerEmailItem(customer.customerId, customer.email),
  };
};

/**
 * The check an import makes of every valid row before it writes anything: the largest item the row
 * would write, sized by DynamoDB's rules, against the 400 KB item limit (or `limit`); undefined when
 * every item fits.
 */
export const rowItemCheck =
  (limit: number = ITEM_BYTES): RowItemCheck =>
  (row, rowNumber) => {
    let largest: OversizedItem | undefined;
    for (const [item, value] of Object.entries(rowItems(row, rowNumber))) {
      const bytes = itemSize(value);
      if (bytes > limit && (!largest || bytes > largest.bytes)) largest = { item, bytes, limit };
    }
    return largest;
  };
