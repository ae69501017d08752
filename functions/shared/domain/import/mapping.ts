import { DateTime } from 'luxon';
import { z } from 'zod';
import { UserInputError } from '../../errors.ts';
import { IMPORT_COLUMNS, type ImportColumn, normalizeColumnName } from './columns.ts';

/**
 * How another tool's columns become the import's (`--map MAPPING.json`, and the `--from` profiles).
 * A field reads the source column the mapping names, else the file's own column of the field's name;
 * dates are read with the mapping's Unicode date pattern, amounts with its separators; an empty
 * field takes the mapping's default, which may quote other fields, e.g. `"{customer_email}"`.
 */

/** Beyond the import columns, a mapping may name what is still owed: amount_paid is then derived. */
export const OUTSTANDING = 'amount_outstanding';
export type MappedField = ImportColumn | typeof OUTSTANDING;
const MAPPED_FIELDS: readonly string[] = [...IMPORT_COLUMNS, OUTSTANDING];

export interface ImportMapping {
  /** How messages name it: the mapping file, or the tool of a profile. */
  readonly label: string;
  /** Field -> source column; a profile may list alternatives, the first the file has is read. */
  readonly columns: Readonly<Partial<Record<MappedField, string | readonly string[]>>>;
  /** Unicode date patterns (luxon tokens), tried in order; ISO dates are always read. */
  readonly dateFormats: readonly string[];
  readonly decimalSeparator: string;
  readonly thousandsSeparator?: string;
  readonly defaults: Readonly<Partial<Record<ImportColumn, string>>>;
  /** Source columns joined line by line into customer_address (e.g. Xero's PO address lines). */
  readonly addressLines?: readonly string[];
}

const DATE_FIELDS = new Set<string>(['due_date', 'issue_date']);
const AMOUNT_FIELDS = new Set<string>(['amount_due', 'amount_paid', OUTSTANDING]);

const separator = z.string().refine((text) => /^[.,' \u00a0\u202f]$/.test(text), {
  error: 'expected one character: "." "," "\'" or a space',
});

const mappingFileSchema = z.strictObject({
  columns: z.record(z.string(), z.string().trim().min(1, 'expected the name of a source column')),
  dateFormat: z.optional(z.string().trim().min(1)),
  decimalSeparator: z.optional(separator),
  thousandsSeparator: z.optional(separator),
  defaults: z.optional(z.record(z.string(), z.string())),
});

/** Keys of `columns` and `defaults` must be import columns; zod's record keys say only "Invalid key". */
const unknownFields = (document: { columns: object; defaults?: object | undefined }): string[] => [
  ...Object.keys(document.columns)
    .filter((name) => !MAPPED_FIELDS.includes(name))
    .map(
      (name) => `columns.${name}: "${name}" is not an import column (one of: ${MAPPED_FIELDS.join(', ')})`,
    ),
  ...Object.keys(document.defaults ?? {})
    .filter((name) => !IMPORT_COLUMNS.includes(name as ImportColumn))
    .map((name) => `defaults.${name}: "${name}" is not an import column`),
];

/** A luxon pattern that formats a known date and reads it back is one it understands. */
const checkDateFormat = (format: string, label: string): string => {
  const probe = DateTime.fromISO('2026-11-30', { zone: 'UTC' });
  const back = DateTime.fromFormat(probe.toFormat(format), format, { zone: 'UTC' });
  if (!back.isValid || back.toISODate() !== '2026-11-30')
    throw new UserInputError(
      `${label}: dateFormat "${format}" does not name a whole date in Unicode tokens (e.g. "dd/MM/yyyy", "MM/dd/yyyy", "d MMM yyyy")`,
    );
  return format;
};

/** Reads a mapping file's JSON (already parsed) into a mapping, naming every problem. */
export const parseMappingFile = (document: unknown, label: string): ImportMapping => {
  const parsed = mappingFileSchema.safeParse(document);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const path = issue.path.join('.');
      return `${path || '(top level)'}: ${issue.message}`;
    });
    throw new UserInputError(`${label}: not a valid mapping: ${problems.join('; ')}`);
  }
  const unknown = unknownFields(parsed.data);
  if (unknown.length > 0) throw new UserInputError(`${label}: not a valid mapping: ${unknown.join('; ')}`);
  const { columns, dateFormat, decimalSeparator, thousandsSeparator, defaults } = parsed.data;
  const decimal = decimalSeparator ?? '.';
  if (thousandsSeparator !== undefined && thousandsSeparator === decimal)
    throw new UserInputError(`${label}: decimalSeparator and thousandsSeparator are both "${decimal}"`);
  return {
    label,
    columns: columns as ImportMapping['columns'],
    dateFormats: dateFormat ? [checkDateFormat(dateFormat, label)] : [],
    decimalSeparator: decimal,
    ...(thousandsSeparator === undefined ? {} : { thousandsSeparator }),
    defaults: (defaults ?? {}) as ImportMapping['defaults'],
  };
};

/** Lays a second mapping over a first (a `--map` file over a `--from` profile): its keys win. */
export const overlayMapping = (base: ImportMapping, over: ImportMapping): ImportMapping => ({
  ...base,
  label: `${base.label} with ${over.label}`,
  columns: { ...base.columns, ...over.columns },
  dateFormats: over.dateFormats.length ? over.dateFormats : base.dateFormats,
  decimalSeparator: over.decimalSeparator !== '.' ? over.decimalSeparator : base.decimalSeparator,
  ...((over.thousandsSeparator ?? base.thousandsSeparator) === undefined
    ? {}
    : { thousandsSeparator: over.thousandsSeparator ?? base.thousandsSeparator }),
  defaults: { ...base.defaults, ...over.defaults },
});

/** Which source column each field reads, once the header is known. */
export interface BoundMapping {
  readonly mapping: ImportMapping;
  /** Field -> the header's own spelling of its source column. */
  readonly sources: Readonly<Partial<Record<MappedField, string>>>;
}

/** A mapped field whose source column the file lacks. */
export interface MissingSource {
  readonly field: MappedField;
  readonly wanted: readonly string[];
}

/**
 * Binds a mapping to a file's header: every field's source column is looked up (trimmed, any case).
 * Returns the fields the mapping names that the file does not have, so the import stops before any
 * row is read.
 */
export const bindMapping = (
  mapping: ImportMapping,
  header: readonly string[],
): { bound: BoundMapping; missing: MissingSource[] } => {
  const byName = new Map<string, string>();
  for (const name of header) {
    const key = normalizeColumnName(name);
    if (key !== '' && !byName.has(key)) byName.set(key, name.trim());
  }
  const sources: Partial<Record<MappedField, string>> = {};
  const missing: MissingSource[] = [];
  for (const field of MAPPED_FIELDS as MappedField[]) {
    const named = mapping.columns[field];
    const wanted = named === undefined ? [] : typeof named === 'string' ? [named] : named;
    const found = wanted.map((name) => byName.get(normalizeColumnName(name))).find(Boolean);
    if (found) sources[field] = found;
    else if (wanted.length > 0) missing.push({ field, wanted });
    else if (byName.has(field)) sources[field] = byName.get(field) as string;
  }
  return { bound: { mapping, sources }, missing };
};

export interface MappingProblem {
  readonly field: ImportColumn;
  readonly value: string;
  readonly reason: string;
}

const text = (value: unknown): string | undefined => {
  if (value === undefined || value === null) return undefined;
  const cell =
    typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : undefined;
  return cell === '' ? undefined : cell;
};

/** "1.234,50" with "," as the decimal separator is "1234.50": what the row schema reads. */
const normalAmount = (cell: string, mapping: ImportMapping): string => {
  let amount = cell.replace(/[\s\u00a0\u202f]/g, '');
  if (mapping.thousandsSeparator && !/^\s$/.test(mapping.thousandsSeparator))
    amount = amount.split(mapping.thousandsSeparator).join('');
  if (mapping.decimalSeparator !== '.') amount = amount.split(mapping.decimalSeparator).join('.');
  return amount;
};

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const normalDate = (cell: string, mapping: ImportMapping): string | undefined => {
  if (ISO_DATE.test(cell)) return cell;
  for (const format of mapping.dateFormats) {
    const date = DateTime.fromFormat(cell, format, { zone: 'UTC', locale: 'en-US' });
    if (date.isValid) return date.toISODate() ?? undefined;
  }
  return undefined;
};

const DECIMAL = /^\d+(\.\d+)?$/;

/** `a - b` on decimal strings, exactly (no float ever holds money); undefined when it is negative. */
const subtract = (a: string, b: string): string | undefined => {
  const places = Math.max(a.split('.')[1]?.length ?? 0, b.split('.')[1]?.length ?? 0);
  const scaled = (value: string) => {
    const [whole, fraction = ''] = value.split('.');
    return BigInt(`${whole}${fraction.padEnd(places, '0')}`);
  };
  const difference = scaled(a) - scaled(b);
  if (difference < 0n) return undefined;
  const digits = difference.toString().padStart(places + 1, '0');
  return places === 0 ? digits : `${digits.slice(0, -places)}.${digits.slice(-places)}`;
};

const fillTemplate = (template: string, values: Readonly<Record<string, string | undefined>>) =>
  template.replace(
    /\{([a-z_]+)\}/g,
    (whole, name: string) => values[name] ?? (MAPPED_FIELDS.includes(name) ? '' : whole),
  );

/**
 * One source row in the import's columns. Conversions that fail (a date not in the mapping's
 * format) are problems of their field; the row schema judges everything else as for any file.
 */
export const applyMapping = (
  bound: BoundMapping,
  cell: (sourceColumn: string) => unknown,
): { values: Record<string, unknown>; problems: MappingProblem[] } => {
  const { mapping, sources } = bound;
  const problems: MappingProblem[] = [];
  const read: Record<string, string | undefined> = {};
  for (const [field, source] of Object.entries(sources)) read[field] = text(cell(source as string));
  if (read.customer_address === undefined && mapping.addressLines) {
    const lines = mapping.addressLines.map((column) => text(cell(column))).filter(Boolean);
    if (lines.length) read.customer_address = lines.join('\n');
  }
  for (const [field, template] of Object.entries(mapping.defaults)) {
    if (read[field] === undefined && template !== undefined) {
      const filled = fillTemplate(template, read).trim();
      if (filled !== '') read[field] = filled;
    }
  }
  for (const field of AMOUNT_FIELDS) {
    const value = read[field];
    if (value !== undefined) read[field] = normalAmount(value, mapping);
  }
  for (const field of DATE_FIELDS) {
    const value = read[field];
    if (value === undefined) continue;
    const date = normalDate(value, mapping);
    if (date) read[field] = date;
    else
      problems.push({
        field: field as ImportColumn,
        value,
        reason: `not a date in the format ${[...mapping.dateFormats, 'yyyy-MM-dd'].map((f) => `"${f}"`).join(' or ')}`,
      });
  }
  const owed = read[OUTSTANDING];
  if (owed !== undefined && read.amount_paid === undefined && read.amount_due !== undefined) {
    if (DECIMAL.test(owed) && DECIMAL.test(read.amount_due)) {
      const paid = subtract(read.amount_due, owed);
      if (paid === undefined)
        problems.push({
          field: 'amount_paid',
          value: owed,
          reason: `what is outstanding is more than amount_due (${read.amount_due})`,
        });
      else read.amount_paid = paid;
    }
  }
  const values: Record<string, unknown> = {};
  for (const field of IMPORT_COLUMNS) if (read[field] !== undefined) values[field] = read[field];
  return { values, problems };
};

/** The source column a field was read from, for messages: the header's name, not the field's. */
export const sourceOf = (bound: BoundMapping, field: string): string =>
  (bound.sources as Record<string, string | undefined>)[field] ?? field;
