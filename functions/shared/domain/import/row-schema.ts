import { z } from 'zod';
import { paymentUrlFor } from '../reminder/line.ts';
import {
  address,
  amount,
  type CustomerType,
  country,
  countryOfZone,
  currency,
  customerType,
  date,
  email,
  identifier,
  locale,
  name,
  paymentUrl,
  timeZone,
} from './cell-checks.ts';
import { fail, optional, required } from './cell-parsing.ts';
import { IMPORT_COLUMNS, type ImportColumn, type RawRow } from './columns.ts';
import { type CellProblem, displayValue } from './problems.ts';
import { checkAmounts } from './row-amounts.ts';
import { checkPhone } from './row-phone.ts';

/** What the deployment supplies for optional columns left empty. */
export interface ImportDefaults {
  /** IANA zone (`DUNNING_TIME_ZONE`). */
  readonly timeZone: string;
  /** Payment link template with `{invoiceId}` (`DUNNING_PAYMENT_URL`). */
  readonly paymentUrlTemplate: string;
  /** The languages the reminder templates exist in; a locale of another language gets a warning. */
  readonly templateLanguages?: readonly string[];
}

/** One valid row, amounts in minor units, every default filled in. */
export interface ImportRow {
  readonly invoiceId: string;
  readonly invoiceNumber: string;
  readonly customerId: string;
  readonly customerName: string;
  readonly customerEmail: string;
  readonly currency: string;
  readonly amountDue: number;
  readonly amountPaid: number;
  readonly dueDate: string;
  readonly issueDate?: string;
  readonly locale: string;
  readonly timeZone: string;
  readonly address?: string;
  readonly paymentUrl: string;
  /** Statutory late-payment interest and compensation apply only to businesses. */
  readonly customerType: CustomerType;
  /** International notation (`+44 20 7946 0958`): E.164 with the country's own grouping. */
  readonly phone?: string;
  /** ISO 3166-1 alpha-2, as given or as the customer's zone names it. */
  readonly country?: string;
}

export type RowResult =
  | { readonly ok: true; readonly row: ImportRow }
  | { readonly ok: false; readonly problems: readonly CellProblem[] };

/** The per-column checks; amounts depend on the currency and are finished in `validateRow`. */
export const importRowSchema = z.object({
  invoice_id: required(identifier),
  customer_id: required(identifier),
  customer_name: required(name),
  customer_email: required(email),
  currency: required(currency),
  amount_due: required(amount, 'amount'),
  due_date: required(date),
  invoice_number: optional(identifier),
  issue_date: optional(date),
  amount_paid: optional(amount, 'amount'),
  customer_locale: optional(locale),
  customer_timezone: optional(timeZone),
  customer_address: optional(address),
  payment_url: optional(paymentUrl),
  customer_type: optional(customerType),
  // Checked once the country is known (`checkPhone`): a national number is read in it.
  customer_phone: optional((text, ctx) => (text.length > 40 ? fail(ctx, 'longer than 40 characters') : text)),
  customer_country: optional(country),
});

const COLUMN_ORDER = new Map<string, number>(IMPORT_COLUMNS.map((column, index) => [column, index]));

/** The row's country: the column when given, else the country its zone (or the default zone) names. */
const rowCountry = (
  cells: { customer_country?: string; customer_timezone?: string },
  defaults: ImportDefaults,
) => cells.customer_country ?? countryOfZone(cells.customer_timezone ?? defaults.timeZone);

/** The value of one column when it passes its own check, else undefined. */
const validCell = (
  raw: RawRow,
  column:
    | 'currency'
    | 'amount_due'
    | 'amount_paid'
    | 'customer_phone'
    | 'customer_country'
    | 'customer_timezone',
): string | undefined => {
  const result = importRowSchema.shape[column].safeParse(raw[column]);
  return result.success ? result.data : undefined;
};

const byColumnOrder = (a: CellProblem, b: CellProblem) =>
  (COLUMN_ORDER.get(a.column) ?? 99) - (COLUMN_ORDER.get(b.column) ?? 99);

/**
 * Every problem of a row some cell of which failed its own check: those, plus the checks across
 * cells (amounts in the currency, the phone in the country) whose cells are valid on their own.
 */
const invalidRowProblems = (raw: RawRow, error: z.ZodError, defaults: ImportDefaults): CellProblem[] => {
  const problems = error.issues.map((issue): CellProblem => {
    const column = String(issue.path[0] ?? '') as ImportColumn;
    return { column, value: displayValue(raw[column]), reason: issue.message };
  });
  const failed = new Set(problems.map((problem) => problem.column));
  if (!failed.has('currency') && !failed.has('amount_due') && !failed.has('amount_paid')) {
    checkAmounts(
      {
        currency: validCell(raw, 'currency'),
        amount_due: validCell(raw, 'amount_due'),
        amount_paid: validCell(raw, 'amount_paid'),
      },
      problems,
    );
  }
  if (!failed.has('customer_phone') && !failed.has('customer_country') && !failed.has('customer_timezone')) {
    const cells = {
      customer_country: validCell(raw, 'customer_country'),
      customer_timezone: validCell(raw, 'customer_timezone'),
    };
    checkPhone(validCell(raw, 'customer_phone'), rowCountry(cells, defaults), problems);
  }
  return problems.sort(byColumnOrder);
};

/**
 * Checks one row for every reason at once and, when it is good, returns it with amounts in minor
 * units and the deployment's defaults filled in.
 */
export const validateRow = (raw: RawRow, defaults: ImportDefaults): RowResult => {
  const parsed = importRowSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, problems: invalidRowProblems(raw, parsed.error, defaults) };
  const cells = parsed.data;
  const problems: CellProblem[] = [];
  const { amountDue, amountPaid } = checkAmounts(cells, problems);
  const countryCode = rowCountry(cells, defaults);
  const phone = checkPhone(cells.customer_phone, countryCode, problems);
  if (problems.length > 0 || amountDue === undefined || amountPaid === undefined)
    return { ok: false, problems: problems.sort(byColumnOrder) };
  const row: ImportRow = {
    invoiceId: cells.invoice_id,
    invoiceNumber: cells.invoice_number ?? cells.invoice_id,
    customerId: cells.customer_id,
    customerName: cells.customer_name,
    customerEmail: cells.customer_email,
    currency: cells.currency,
    amountDue,
    amountPaid,
    dueDate: cells.due_date,
    locale: cells.customer_locale ?? 'en-US',
    timeZone: cells.customer_timezone ?? defaults.timeZone,
    paymentUrl: paymentUrlFor(
      { invoiceId: cells.invoice_id, paymentUrl: cells.payment_url },
      defaults.paymentUrlTemplate,
    ),
    customerType: cells.customer_type ?? 'business',
    ...(cells.issue_date === undefined ? {} : { issueDate: cells.issue_date }),
    ...(cells.customer_address === undefined ? {} : { address: cells.customer_address }),
    ...(phone === undefined ? {} : { phone }),
    ...(countryCode === undefined ? {} : { country: countryCode }),
  };
  return { ok: true, row };
};
