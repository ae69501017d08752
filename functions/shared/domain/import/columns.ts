/**
 * The import file's columns (docs/cli.md, import columns). Headers and JSON keys are matched after trimming
 * and lower-casing, so "Invoice_ID " from a spreadsheet still names `invoice_id`.
 */
export const IMPORT_COLUMNS = [
  'invoice_id',
  'customer_id',
  'customer_name',
  'customer_email',
  'currency',
  'amount_due',
  'due_date',
  'invoice_number',
  'issue_date',
  'amount_paid',
  'customer_locale',
  'customer_timezone',
  'customer_address',
  'payment_url',
  'customer_type',
  'customer_phone',
  'customer_country',
] as const;

export type ImportColumn = (typeof IMPORT_COLUMNS)[number];

export const REQUIRED_COLUMNS: readonly ImportColumn[] = [
  'invoice_id',
  'customer_id',
  'customer_name',
  'customer_email',
  'currency',
  'amount_due',
  'due_date',
];

const KNOWN = new Set<string>(IMPORT_COLUMNS);
export const isImportColumn = (name: string): name is ImportColumn => KNOWN.has(name);

export const normalizeColumnName = (name: string): string => name.trim().toLowerCase();

/** One row as read from the file: CSV cells are strings, JSON values can be anything. */
export type RawRow = Readonly<Record<string, unknown>>;
