import type { ImportColumn } from './columns.ts';
import type { ImportMapping, MappedField } from './mapping.ts';

/**
 * Built-in mappings for the invoice exports of the tools finance teams use (`--from NAME`), with the
 * rules that keep an export's other rows out: paid, void and draft invoices, credit notes, a report's
 * subtotal rows, and the further line items of one invoice. docs/import.md gives the source of each
 * column name; test/fixtures/import/exports/ holds files shaped like each export.
 */

/** Why a row of an export is not imported as an open invoice (the summary counts each). */
export type SkipReason =
  | 'paid'
  | 'void'
  | 'draft'
  | 'credit_note'
  | 'not_an_invoice'
  | 'report_row'
  | 'no_due_date'
  | 'line_item';

export interface ExportProfile {
  readonly name: ProfileName;
  /** The export this reads, as the tool's own menus name it. */
  readonly export: string;
  readonly mapping: ImportMapping;
  /** The status column and what each status (lower case) means; a status not listed is imported. */
  readonly status?: {
    readonly columns: readonly string[];
    readonly skip: Readonly<Record<string, SkipReason>>;
  };
  /** The transaction type column: rows whose type is not an invoice are skipped under their reason. */
  readonly type?: {
    readonly columns: readonly string[];
    /** Lower case prefixes of the invoice type (e.g. "invoice", "sales invoice"). */
    readonly invoice: readonly string[];
    /** Lower case substrings that name a credit note; any other type is `not_an_invoice`. */
    readonly credit: readonly string[];
  };
  /** One row per line item: rows after the first of an invoice number are combined into it. */
  readonly lineItems?: boolean;
  /**
   * A report laid out by customer (QuickBooks): the header row is the first that has these columns
   * (title rows above it are skipped), a row with text in its first cell only names the customer of
   * the rows below, and rows whose first cell starts with "Total" are subtotals.
   */
  readonly report?: { readonly headerHas: readonly string[] };
  /** What to add when the export lacks a field the import needs. */
  readonly whenMissing: Readonly<Partial<Record<MappedField, string>>>;
}

export const PROFILE_NAMES = ['stripe', 'xero', 'quickbooks', 'invoiceninja'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

const mapping = (
  label: string,
  columns: ImportMapping['columns'],
  extra: Partial<Omit<ImportMapping, 'label' | 'columns'>> = {},
): ImportMapping => ({
  label,
  columns,
  dateFormats: [],
  decimalSeparator: '.',
  defaults: {},
  ...extra,
});

/** Email-derived ids: a customer keeps the same id across exports as long as the address stays. */
const BY_EMAIL: Partial<Record<ImportColumn, string>> = { customer_id: '{customer_email}' };

const stripe: ExportProfile = {
  name: 'stripe',
  export: 'Stripe Dashboard, Invoices, Export (CSV)',
  mapping: mapping(
    'the Stripe profile',
    {
      invoice_id: 'id',
      invoice_number: 'Number',
      customer_id: 'Customer',
      customer_name: 'Customer Name',
      customer_email: 'Customer Email',
      currency: 'Currency',
      amount_due: ['Amount Due', 'Total'],
      amount_paid: 'Amount Paid',
      amount_outstanding: 'Amount Remaining',
      due_date: 'Due Date (UTC)',
      issue_date: ['Date (UTC)', 'Created (UTC)'],
    },
    { dateFormats: ['yyyy-MM-dd HH:mm:ss', 'yyyy-MM-dd HH:mm', 'yyyy-MM-dd'] },
  ),
  status: {
    columns: ['Status'],
    skip: { paid: 'paid', void: 'void', draft: 'draft', uncollectible: 'void', deleted: 'void' },
  },
  whenMissing: {
    customer_email:
      'Stripe exports the customer email as "Customer Email"; tick that column in the export dialog',
    invoice_id: 'Stripe exports the invoice id as "id"; keep that column in the export dialog',
    due_date:
      'Stripe exports the due date as "Due Date (UTC)"; tick it in the export dialog (invoices charged automatically have none and are skipped)',
  },
};

const xero: ExportProfile = {
  name: 'xero',
  export: 'Xero, Business, Invoices, Export (CSV)',
  mapping: mapping(
    'the Xero profile',
    {
      invoice_id: 'InvoiceNumber',
      invoice_number: 'InvoiceNumber',
      customer_name: 'ContactName',
      customer_email: 'EmailAddress',
      currency: 'Currency',
      amount_due: 'Total',
      amount_paid: 'InvoiceAmountPaid',
      amount_outstanding: 'InvoiceAmountDue',
      due_date: 'DueDate',
      issue_date: 'InvoiceDate',
    },
    {
      // Xero writes dates in the organisation's regional format; day first outside the US.
      dateFormats: ['dd/MM/yyyy', 'd/M/yyyy', 'dd MMM yyyy', 'd MMM yyyy'],
      defaults: BY_EMAIL,
      addressLines: [
        'POAddressLine1',
        'POAddressLine2',
        'POAddressLine3',
        'POAddressLine4',
        'POCity',
        'PORegion',
        'POPostalCode',
        'POCountry',
      ],
    },
  ),
  status: {
    columns: ['Status'],
    skip: {
      paid: 'paid',
      draft: 'draft',
      'awaiting approval': 'draft',
      voided: 'void',
      deleted: 'void',
    },
  },
  type: { columns: ['Type'], invoice: ['sales invoice', 'invoice', 'accrec'], credit: ['credit'] },
  lineItems: true,
  whenMissing: {
    customer_email:
      'Xero exports the contact email as "EmailAddress"; give each contact an email address in Xero, or name the column holding it with --map',
  },
};

const quickbooks: ExportProfile = {
  name: 'quickbooks',
  export: 'QuickBooks Online, Reports, Open Invoices (or Invoice List), Export to Excel, saved as CSV',
  mapping: mapping(
    'the QuickBooks profile',
    {
      invoice_id: 'Num',
      invoice_number: 'Num',
      customer_name: ['Customer', 'Name', 'Customer Name'],
      customer_email: ['Email', 'Customer Email', 'E-mail'],
      currency: ['Currency', 'Currency Code'],
      amount_due: 'Amount',
      amount_outstanding: ['Open Balance', 'Open balance', 'Balance'],
      due_date: 'Due Date',
      issue_date: 'Date',
    },
    { dateFormats: ['MM/dd/yyyy', 'M/d/yyyy', 'MM/dd/yy'], thousandsSeparator: ',', defaults: BY_EMAIL },
  ),
  type: { columns: ['Transaction Type'], invoice: ['invoice'], credit: ['credit'] },
  report: { headerHas: ['Num', 'Due Date'] },
  whenMissing: {
    customer_email:
      'QuickBooks reports carry no customer email by default; add an "Email" column to the report (Customize, Rows/Columns, Change columns) or add one to the CSV, or name the column holding it with --map',
    currency:
      'the report has no "Currency" column (a single-currency company); give the currency with --map, e.g. {"columns": {}, "defaults": {"currency": "USD"}}',
    amount_outstanding:
      'the report has no "Open Balance" column, so what is still owed is unknown; add that column to the report',
    amount_due: 'the report has no "Amount" column; add it to the report (Customize, Change columns)',
  },
};

const invoiceNinja: ExportProfile = {
  name: 'invoiceninja',
  export: 'Invoice Ninja v5, Reports (or Settings, Export), Invoices, Export (CSV)',
  mapping: mapping(
    'the Invoice Ninja profile',
    {
      invoice_id: ['Invoice Invoice Number', 'Invoice Number', 'Invoice Number Number'],
      invoice_number: ['Invoice Invoice Number', 'Invoice Number'],
      customer_id: ['Client Number', 'Client Id Number'],
      customer_name: ['Client Name', 'Client'],
      customer_email: ['Contact Email', 'Client Email'],
      currency: ['Client Currency', 'Invoice Currency', 'Currency'],
      amount_due: ['Invoice Amount', 'Amount'],
      amount_paid: ['Invoice Paid to Date', 'Paid to Date'],
      amount_outstanding: ['Invoice Balance', 'Balance'],
      due_date: ['Invoice Due Date', 'Due Date'],
      issue_date: ['Invoice Date', 'Date'],
    },
    { dateFormats: ['yyyy-MM-dd'], defaults: BY_EMAIL },
  ),
  status: {
    columns: ['Invoice Status', 'Status'],
    skip: { draft: 'draft', paid: 'paid', cancelled: 'void', reversed: 'void' },
  },
  whenMissing: {
    customer_email:
      'Invoice Ninja exports no email unless asked; add the contact column "Email" (shown as "Contact Email") to the export',
    currency:
      'Invoice Ninja exports no currency unless asked; add the client column "Currency" (shown as "Client Currency") to the export, or give it with --map defaults',
  },
};

export const PROFILES: Readonly<Record<ProfileName, ExportProfile>> = {
  stripe,
  xero,
  quickbooks,
  invoiceninja: invoiceNinja,
};

export const isProfileName = (name: string): name is ProfileName =>
  (PROFILE_NAMES as readonly string[]).includes(name);
