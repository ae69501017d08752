import { getCountry, getCountryForTimezone } from 'countries-and-timezones';
import emailAddresses from 'email-addresses';
import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js';
import { z } from 'zod';
import { isIsoDate } from '../calendar.ts';
import { currencyInfo, MoneyFormatError, parseMajor } from '../money.ts';
import { IMPORT_COLUMNS, type ImportColumn, type RawRow } from './columns.ts';
import { displayValue } from './problems.ts';
import { MAX_EMAIL_LENGTH, MAX_ID_BYTES, MAX_URL_LENGTH, utf8Bytes } from './store-limits.ts';

export type CustomerType = 'business' | 'consumer';

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

export interface CellProblem {
  readonly column: ImportColumn | '';
  readonly value: string;
  readonly reason: string;
}

export type RowResult =
  | { readonly ok: true; readonly row: ImportRow }
  | { readonly ok: false; readonly problems: readonly CellProblem[] };

type Ctx = z.core.$RefinementCtx;

const fail = (ctx: Ctx, message: string): never => {
  ctx.addIssue({ code: 'custom', message });
  return z.NEVER as never;
};

const INVALID = Symbol('invalid cell');

/**
 * A cell as text: trimmed, empty meaning absent. JSON numbers are welcome for ids (1001) but not for
 * amounts, which must be decimal strings so that no float ever holds money.
 */
const cellText = (value: unknown, kind: 'text' | 'amount', ctx: Ctx): string | undefined | typeof INVALID => {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && kind === 'amount') {
    fail(ctx, 'amounts must be decimal strings such as "1234.50", not JSON numbers');
    return INVALID;
  }
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (typeof value !== 'string') {
    fail(ctx, 'expected text');
    return INVALID;
  }
  const text = value.trim();
  return text === '' ? undefined : text;
};

const required = <T>(check: (text: string, ctx: Ctx) => T, kind: 'text' | 'amount' = 'text') =>
  z.transform((value: unknown, ctx): T => {
    const text = cellText(value, kind, ctx);
    if (text === INVALID) return z.NEVER as T;
    if (text === undefined) return fail(ctx, 'required field is empty');
    return check(text, ctx);
  });

const optional = <T>(check: (text: string, ctx: Ctx) => T, kind: 'text' | 'amount' = 'text') =>
  z.transform((value: unknown, ctx): T | undefined => {
    const text = cellText(value, kind, ctx);
    if (text === INVALID) return z.NEVER as T;
    return text === undefined ? undefined : check(text, ctx);
  });

/**
 * Zones, locales, addresses and dates repeat across rows; their checks (Intl constructors, an RFC 5322
 * parser) cost far more than a map lookup, so answers are kept, up to a bound that caps memory.
 */
const remembered = <T>(check: (text: string) => T, limit = 20_000) => {
  const answers = new Map<string, T>();
  return (text: string): T => {
    const known = answers.get(text);
    if (known !== undefined || answers.has(text)) return known as T;
    const answer = check(text);
    if (answers.size >= limit) answers.clear();
    answers.set(text, answer);
    return answer;
  };
};

const hasControlCharacter = (text: string): boolean => {
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
};

const identifier = (text: string, ctx: Ctx): string => {
  if (text.length > 200) return fail(ctx, 'longer than 200 characters');
  if (hasControlCharacter(text)) return fail(ctx, 'contains a line break or control character');
  // 200 characters of 4-byte UTF-8 fit; this names the store's own limit should that bound grow.
  const bytes = utf8Bytes(text);
  if (bytes > MAX_ID_BYTES)
    return fail(
      ctx,
      `${bytes} bytes in UTF-8, over the ${MAX_ID_BYTES} an id may take in a store key (1024-byte sort key)`,
    );
  return text;
};

const name = (text: string, ctx: Ctx): string => {
  if (text.length > 300) return fail(ctx, 'longer than 300 characters');
  if (hasControlCharacter(text)) return fail(ctx, 'contains a line break or control character');
  return text;
};

const mailboxAddress = remembered((text: string): string | undefined => {
  const parsed = emailAddresses.parseOneAddress({ input: text, rfc6532: true, rejectTLD: true });
  return parsed?.type === 'mailbox' ? parsed.address : undefined;
});

const email = (text: string, ctx: Ctx): string => {
  // Checked first: a parser handed 2,000 characters is slow, and such an address cannot be delivered.
  if (text.length > MAX_EMAIL_LENGTH)
    return fail(ctx, `longer than ${MAX_EMAIL_LENGTH} characters, the most an address may have (RFC 5321)`);
  return mailboxAddress(text) ?? fail(ctx, 'not an RFC 5322 email address');
};

const currency = (text: string, ctx: Ctx): string => {
  const code = text.toUpperCase();
  if (!currencyInfo(code)) return fail(ctx, 'unknown ISO 4217 currency code');
  return code;
};

const DECIMAL = /^\d+(\.\d+)?$/;
/** Syntax only; the currency's precision is checked once the currency itself is known to be good. */
const amount = (text: string, ctx: Ctx): string => {
  if (text.startsWith('-')) return fail(ctx, 'amount must not be negative');
  if (!DECIMAL.test(text)) {
    return fail(ctx, 'expected a decimal amount such as "1234.50" (digits, optional point, no separators)');
  }
  return text;
};

const ISO_DATE_SHAPE = /^\d{4}-\d{2}-\d{2}$/;
const isCalendarDate = remembered(isIsoDate);
const date = (text: string, ctx: Ctx): string => {
  if (!ISO_DATE_SHAPE.test(text)) return fail(ctx, 'expected an ISO date such as "2026-03-31"');
  if (!isCalendarDate(text)) return fail(ctx, 'impossible date: no such day in the calendar');
  return text;
};

const canonicalLocale = remembered((text: string): string | undefined => {
  try {
    return Intl.getCanonicalLocales(text)[0];
  } catch {
    // RangeError: not a well-formed BCP 47 tag.
    return undefined;
  }
});

const locale = (text: string, ctx: Ctx): string =>
  canonicalLocale(text) ?? fail(ctx, 'not a valid BCP 47 language tag such as "en-GB"');

// Offsets such as "+05:00" are not zones: they know nothing of daylight saving.
const IANA_SHAPE = /^[A-Za-z][A-Za-z0-9_+\-/]*$/;
export const isIanaZone = remembered((zone: string): boolean => {
  if (!IANA_SHAPE.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
});

const timeZone = (text: string, ctx: Ctx): string =>
  isIanaZone(text) ? text : fail(ctx, 'unknown IANA time zone (expected e.g. "Europe/Berlin")');

const address = (text: string, ctx: Ctx): string => {
  // Lines may arrive as real line breaks (quoted CSV) or as the two characters \n.
  const lines = text.replace(/\r\n?/g, '\n').replace(/\\n/g, '\n');
  if (lines.length > 1000) return fail(ctx, 'longer than 1000 characters');
  return lines;
};

const country = (text: string, ctx: Ctx): string => {
  const code = text.toUpperCase();
  if (!/^[A-Z]{2}$/.test(code) || !getCountry(code))
    return fail(ctx, 'not an ISO 3166-1 alpha-2 country code such as "DE"');
  return code;
};

/** The country a zone names (`Europe/Rome` -> `IT`); none for `UTC`, `Etc/GMT+5` and the like. */
export const countryOfZone = remembered(
  (zone: string): string | undefined => getCountryForTimezone(zone)?.id,
);

/**
 * A phone number in international notation, read as E.164 or, without a leading +, as a national
 * number of `countryCode`; the reason it cannot be read otherwise.
 */
export const readPhone = (
  text: string,
  countryCode: string | undefined,
): { phone: string } | { reason: string } => {
  const international = text.startsWith('+') || text.startsWith('00');
  if (!international && !countryCode)
    return {
      reason: 'a national number needs customer_country (or write it in E.164, e.g. "+442079460958")',
    };
  const parsed = parsePhoneNumberFromString(
    text.startsWith('00') ? `+${text.slice(2)}` : text,
    international ? undefined : (countryCode as CountryCode),
  );
  if (!parsed?.isValid())
    return {
      reason: international
        ? 'not a valid phone number in E.164 (e.g. "+442079460958")'
        : `not a valid phone number in ${countryCode}`,
    };
  return { phone: parsed.formatInternational() };
};

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The link a customer pays through: https (plain http only to this machine, for a local stack). */
const paymentUrl = (text: string, ctx: Ctx): string => {
  if (text.length > MAX_URL_LENGTH) return fail(ctx, `longer than ${MAX_URL_LENGTH} characters`);
  if (hasControlCharacter(text)) return fail(ctx, 'contains a line break or control character');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return fail(ctx, 'expected an https URL such as "https://pay.example.com/INV-1"');
  }
  if (url.protocol === 'https:') return text;
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) return text;
  return fail(
    ctx,
    url.protocol === 'http:'
      ? 'plain http is only allowed for localhost; customers pay through https'
      : 'expected an https URL such as "https://pay.example.com/INV-1"',
  );
};

const CUSTOMER_TYPES: readonly string[] = ['business', 'consumer'];
const customerType = (text: string, ctx: Ctx): CustomerType => {
  const type = text.toLowerCase();
  return CUSTOMER_TYPES.includes(type)
    ? (type as CustomerType)
    : fail(ctx, 'expected "business" or "consumer"');
};

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

const toMinor = (
  text: string,
  code: string,
  column: ImportColumn,
  problems: CellProblem[],
): number | undefined => {
  try {
    return parseMajor(text, code);
  } catch (error) {
    if (!(error instanceof MoneyFormatError)) throw error;
    problems.push({ column, value: text, reason: error.message });
    return undefined;
  }
};

export const paymentUrlFor = (template: string, invoiceId: string): string =>
  template.replaceAll('{invoiceId}', encodeURIComponent(invoiceId));

/**
 * Checks one row for every reason at once and, when it is good, returns it with amounts in minor
 * units and the deployment's defaults filled in.
 */
/**
 * The checks that need the currency (decimals, amount_paid within amount_due). They run whenever the
 * cells they read are valid on their own, so a row with a bad email still has its bad amount reported.
 */
const checkAmounts = (
  cells: { currency?: string; amount_due?: string; amount_paid?: string | undefined },
  problems: CellProblem[],
): { amountDue?: number; amountPaid?: number } => {
  if (cells.currency === undefined) return {};
  const amountDue =
    cells.amount_due === undefined
      ? undefined
      : toMinor(cells.amount_due, cells.currency, 'amount_due', problems);
  const amountPaid =
    cells.amount_paid === undefined ? 0 : toMinor(cells.amount_paid, cells.currency, 'amount_paid', problems);
  if (amountDue !== undefined && amountPaid !== undefined && amountPaid > amountDue) {
    problems.push({
      column: 'amount_paid',
      value: cells.amount_paid ?? '',
      reason: `amount_paid is more than amount_due (${cells.amount_due})`,
    });
  }
  return { amountDue, amountPaid };
};

/** The row's country: the column when given, else the country its zone (or the default zone) names. */
const rowCountry = (
  cells: { customer_country?: string; customer_timezone?: string },
  defaults: ImportDefaults,
) => cells.customer_country ?? countryOfZone(cells.customer_timezone ?? defaults.timeZone);

/** The phone in international notation, or its problem, once the row's country is known. */
const checkPhone = (
  phoneText: string | undefined,
  countryCode: string | undefined,
  problems: CellProblem[],
): string | undefined => {
  if (phoneText === undefined) return undefined;
  const read = readPhone(phoneText, countryCode);
  if ('reason' in read) {
    problems.push({ column: 'customer_phone', value: phoneText, reason: read.reason });
    return undefined;
  }
  return read.phone;
};

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
 * Checks one row for every reason at once and, when it is good, returns it with amounts in minor
 * units and the deployment's defaults filled in.
 */
export const validateRow = (raw: RawRow, defaults: ImportDefaults): RowResult => {
  const parsed = importRowSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue): CellProblem => {
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
    if (
      !failed.has('customer_phone') &&
      !failed.has('customer_country') &&
      !failed.has('customer_timezone')
    ) {
      const cells = {
        customer_country: validCell(raw, 'customer_country'),
        customer_timezone: validCell(raw, 'customer_timezone'),
      };
      checkPhone(validCell(raw, 'customer_phone'), rowCountry(cells, defaults), problems);
    }
    return { ok: false, problems: problems.sort(byColumnOrder) };
  }
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
    paymentUrl: cells.payment_url ?? paymentUrlFor(defaults.paymentUrlTemplate, cells.invoice_id),
    customerType: cells.customer_type ?? 'business',
    ...(cells.issue_date === undefined ? {} : { issueDate: cells.issue_date }),
    ...(cells.customer_address === undefined ? {} : { address: cells.customer_address }),
    ...(phone === undefined ? {} : { phone }),
    ...(countryCode === undefined ? {} : { country: countryCode }),
  };
  return { ok: true, row };
};
