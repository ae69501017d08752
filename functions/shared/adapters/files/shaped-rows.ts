import { isImportColumn, normalizeColumnName, REQUIRED_COLUMNS } from '../../domain/import/columns.ts';
import {
  applyMapping,
  type BoundMapping,
  bindMapping,
  type MissingSource,
} from '../../domain/import/mapping.ts';
import type { ExportProfile, SkipReason } from '../../domain/import/profiles.ts';
import type { ReadObserver, RowShape, SourceRow } from '../../domain/import/source-row.ts';
import { UserInputError } from '../../errors.ts';

/**
 * Between the file's reader and the row schema: the file's own columns become the import's. With no
 * mapping, headers and keys are matched by name (trimmed, any case). With a mapping (`--map`) or a
 * profile (`--from`), each field reads its source column, and a profile's rules leave out the rows
 * that are not open invoices, telling the observer why.
 */
export type { RowShape } from '../../domain/import/source-row.ts';

const lower = (value: unknown) => (typeof value === 'string' ? value.trim().toLowerCase() : '');

/** The header's spelling of the first of `names` it has (any case), if any. */
const findColumn = (header: readonly string[], names: readonly string[] | undefined) => {
  if (!names) return undefined;
  const wanted = new Set(names.map(normalizeColumnName));
  return header.find((column) => wanted.has(normalizeColumnName(column)));
};

const listed = (header: readonly string[]) => {
  const named = header.filter(Boolean);
  const shown = named.slice(0, 30);
  return `${shown.map((name) => `"${name}"`).join(', ')}${named.length > shown.length ? ', ...' : ''}`;
};

const missingMessage = (
  file: string,
  shape: RowShape,
  missing: readonly MissingSource[],
  header: readonly string[],
) => {
  const label = shape.mapping?.label ?? 'the mapping';
  const lines = missing.map(({ field, wanted }) => {
    const help = shape.profile?.whenMissing[field];
    const names = wanted.map((name) => `"${name}"`).join(' or ');
    return shape.profile
      ? `${field}: no column ${names}${help ? ` (${help})` : ''}`
      : `${label} maps ${field} to ${names}, which ${file} does not have`;
  });
  const intro = shape.profile
    ? `${file}: cannot be read as ${shape.profile.export} (${label}): `
    : `${file}: refused before reading any row: `;
  return new UserInputError(`${intro}${lines.join('; ')}. Its columns: ${listed(header)}`);
};

/** Fields the bound mapping provides: read from a column, derived, or defaulted. */
const providedFields = (bound: BoundMapping, shape: RowShape): string[] => {
  const fields = new Set<string>(Object.keys(bound.sources));
  for (const field of Object.keys(bound.mapping.defaults)) fields.add(field);
  if (bound.sources.amount_outstanding) fields.add('amount_paid');
  if (bound.mapping.addressLines) fields.add('customer_address');
  if (shape.profile?.report) fields.add('customer_name');
  return [...fields].filter(isImportColumn);
};

const requiredUnprovided = (bound: BoundMapping, shape: RowShape): MissingSource[] => {
  const provided = new Set(providedFields(bound, shape));
  return REQUIRED_COLUMNS.filter((field) => !provided.has(field)).map((field) => {
    const named = bound.mapping.columns[field];
    return { field, wanted: named === undefined ? [field] : typeof named === 'string' ? [named] : named };
  });
};

interface ProfileState {
  statusColumn?: string;
  typeColumn?: string;
  firstColumn?: string;
  /** The customer named by a report's group row, for the rows below it. */
  group?: string;
  lastInvoice?: string;
}

/** Why a profile leaves this row out, if it does; a report's group row also sets the customer. */
const skipReason = (
  profile: ExportProfile,
  state: ProfileState,
  values: Readonly<Record<string, unknown>>,
): SkipReason | undefined => {
  if (profile.report && state.firstColumn !== undefined) {
    const first =
      typeof values[state.firstColumn] === 'string' ? (values[state.firstColumn] as string).trim() : '';
    const others = Object.entries(values).some(
      ([column, cell]) => column !== state.firstColumn && typeof cell === 'string' && cell.trim() !== '',
    );
    if (/^total\b/i.test(first)) return 'report_row';
    if (first !== '' && !others) {
      state.group = first;
      return 'report_row';
    }
  }
  if (profile.type && state.typeColumn) {
    const type = lower(values[state.typeColumn]);
    if (type !== '' && !profile.type.invoice.some((prefix) => type.startsWith(prefix)))
      return profile.type.credit.some((word) => type.includes(word)) ? 'credit_note' : 'not_an_invoice';
  }
  if (profile.status && state.statusColumn) {
    const reason = profile.status.skip[lower(values[state.statusColumn])];
    if (reason) return reason;
  }
  return undefined;
};

/** Header names repeat on every row: each is normalised once. */
const NORMALISED = new Map<string, string>();
const normalised = (key: string): string => {
  let column = NORMALISED.get(key);
  if (column === undefined) {
    column = normalizeColumnName(key);
    if (NORMALISED.size < 10_000) NORMALISED.set(key, column);
  }
  return column;
};

/** Native import columns: keys matched by name; a JSON key given twice (in any case) is flagged. */
const nativeRow = (source: SourceRow): SourceRow => {
  const values: Record<string, unknown> = {};
  const repeated = new Set(source.duplicateColumns ?? []);
  for (const [key, cell] of Object.entries(source.values)) {
    const column = normalised(key);
    if (column in values) {
      if (isImportColumn(column)) repeated.add(column);
      continue;
    }
    values[column] = cell;
  }
  const { duplicateColumns: _ignored, ...rest } = source;
  return { ...rest, values, ...(repeated.size > 0 ? { duplicateColumns: [...repeated] } : {}) };
};

/**
 * The fields a header leaves without a source. A mapping file's every column must be there; a profile's
 * only where nothing else gives the field.
 */
const unmetColumns = (result: ReturnType<typeof bindMapping>, shape: RowShape): MissingSource[] => {
  const { mapping, profile } = shape;
  const needed = profile
    ? result.missing.filter(
        (gap) =>
          (REQUIRED_COLUMNS as readonly string[]).includes(gap.field) &&
          mapping?.defaults[gap.field as keyof typeof mapping.defaults] === undefined &&
          !(profile.report && gap.field === 'customer_name'),
      )
    : result.missing;
  return [
    ...needed,
    ...requiredUnprovided(result.bound, shape).filter(
      (gap) => !result.missing.some((known) => known.field === gap.field),
    ),
  ];
};

/** One row through the mapping, or undefined when the profile leaves it out (the observer told why). */
const mappedRow = (
  source: SourceRow,
  bound: BoundMapping,
  { profile }: RowShape,
  state: ProfileState,
  observer: ReadObserver,
): SourceRow | undefined => {
  const reason = profile && skipReason(profile, state, source.values);
  if (reason) {
    observer.skipped?.(reason);
    return undefined;
  }
  const { values, problems } = applyMapping(bound, (column) => source.values[column]);
  if (profile?.report && values.customer_name === undefined && state.group)
    values.customer_name = state.group;
  if (profile?.name === 'stripe' && values.due_date === undefined) {
    observer.skipped?.('no_due_date');
    return undefined;
  }
  if (profile?.lineItems && typeof values.invoice_id === 'string') {
    if (values.invoice_id === state.lastInvoice) {
      observer.skipped?.('line_item');
      return undefined;
    }
    state.lastInvoice = values.invoice_id;
  }
  return {
    ...source,
    values,
    sourceColumns: bound.sources as Record<string, string>,
    ...(problems.length > 0 ? { mappingProblems: problems } : {}),
  };
};

export async function* shapeRows(
  rows: (headerObserver: ReadObserver) => AsyncIterable<SourceRow>,
  file: string,
  shape: RowShape,
  observer: ReadObserver = {},
): AsyncGenerator<SourceRow> {
  const { mapping, profile } = shape;
  if (!mapping) {
    const columns = (names: readonly string[]) => observer.columns?.(names.map(normalizeColumnName));
    for await (const source of rows({ ...observer, columns })) yield nativeRow(source);
    return;
  }
  let bound: BoundMapping | undefined;
  const state: ProfileState = {};
  const bind = (header: readonly string[]) => {
    const result = bindMapping(mapping, header);
    const missing = unmetColumns(result, shape);
    if (missing.length > 0) throw missingMessage(file, shape, missing, header);
    bound = result.bound;
    state.statusColumn = findColumn(header, profile?.status?.columns);
    state.typeColumn = findColumn(header, profile?.type?.columns);
    state.firstColumn = header[0];
  };
  const columns = (names: readonly string[]) => {
    if (!bound) bind(names);
    observer.columns?.(providedFields(bound as BoundMapping, shape));
  };
  for await (const source of rows({ ...observer, columns })) {
    if (source.unreadable || !bound) {
      yield source;
      continue;
    }
    const shaped = mappedRow(source, bound, shape, state, observer);
    if (shaped) yield shaped;
  }
}
