/**
 * What the store can hold, as the import must know it to refuse a file before writing any of it
 * (DynamoDB: a partition key up to 2048 bytes, a sort key up to 1024, an item up to 400 KB; keys
 * and index keys are counted in UTF-8 bytes). An id is kept inside keys behind a prefix such as
 * `CUSTOMER#`, and inside the due index's sort key behind an instant (`<ISO instant>#<invoiceId>`),
 * so it gets what is left of 1024 bytes after the longest of those.
 */
export const SORT_KEY_BYTES = 1024;
export const PARTITION_KEY_BYTES = 2048;
const LONGEST_KEY_PREFIX_BYTES = '2026-03-10T12:00:00.000Z#'.length + 'INVOICE#'.length;
export const MAX_ID_BYTES = SORT_KEY_BYTES - LONGEST_KEY_PREFIX_BYTES;

/** RFC 5321: an address longer than this cannot be delivered (it is also a key: `EMAIL#<address>`). */
export const MAX_EMAIL_LENGTH = 254;

/** A link kept on the invoice and printed in every reminder; browsers and mail clients cope with this. */
export const MAX_URL_LENGTH = 2048;

/** Counted, not encoded: the import sizes every value of every row, and an encoding is garbage. */
export const utf8Bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

/**
 * DynamoDB's item limit. Every imported field is bounded (ids, names, address, email, link, phone):
 * the longest row they allow makes items of about 6.6 KB, far below it whatever the run and payments
 * add later. The import still sizes every item a row would write against it, by DynamoDB's own rules
 * (adapters/dynamodb/import-item-limit.ts), and refuses the file before writing anything.
 */
export const ITEM_BYTES = 400 * 1024;
