import { createHash } from 'node:crypto';
import { taskWindow } from '../../concurrency.ts';
import { UserInputError } from '../../errors.ts';
import type { FileIndex } from './file-index.ts';
import type { ImportSource, RollForwardPorts, StagedRow, StoredRecords } from './ports.ts';
import { type Change, classify, importedCustomer, importedInvoice } from './records.ts';
import { applyCommittedImport, completePendingImports } from './roll-forward.ts';
import { type ImportDefaults, validateRow } from './row-schema.ts';
import type { ImportFormat, ReadOptions, SourceRow } from './source-row.ts';
import {
  describeSkipped,
  emptySummary,
  ImportRejectedError,
  type ImportSummary,
  skippedFields,
} from './summary.ts';
import { type ProgressListener, type RowItemCheck, validateImportFile } from './validation-pass.ts';

/**
 * `dunning import FILE`: validate the whole file, then compare it with the store and stage what
 * changed, then commit and apply (roll-forward.ts). Two streaming passes over the file, so memory is
 * bounded by the file index (ids and digests), never by the rows.
 */

export interface ImportPorts extends RollForwardPorts {
  readonly source: ImportSource;
  readonly stored: StoredRecords;
  readonly defaults: ImportDefaults;
  /** Sizes the items a valid row would write against the store's item limit, before anything is written. */
  readonly itemCheck: RowItemCheck;
  readonly onProgress?: ProgressListener | undefined;
}

export interface ImportOptions extends ReadOptions {
  readonly dryRun?: boolean;
  /** How the file is named in the summary; defaults to the path given. */
  readonly label?: string;
}

/** Rows compared (and staged) per step; one BatchGet of up to 100 invoices plus their customers. */
const STEP_ROWS = 50;
const STEPS_IN_FLIGHT = 6;

/**
 * The same file read the same way (defaults, encoding, mapping) is the same import: a re-run finds
 * its earlier attempt. A file read another way is another import.
 */
export const importIdOf = (contentHash: string, defaults: ImportDefaults, read: ReadOptions = {}): string =>
  createHash('sha256')
    .update(`${contentHash}\n${JSON.stringify(defaults)}`)
    .update(read.encoding || read.shape?.mapping ? `\n${JSON.stringify([read.encoding, read.shape])}` : '')
    .digest('hex')
    .slice(0, 32);

const noRows = (file: string, format: ImportFormat, summary: ImportSummary) => {
  const left = summary.skipped ? describeSkipped(summary.skipped) : '';
  const error = new UserInputError(
    left
      ? `${file}: holds no open invoice to import (left out: ${left})`
      : format === 'csv'
        ? `${file}: has a header row but no invoice rows`
        : `${file}: the JSON array holds no invoice rows`,
  );
  return Object.assign(error, { details: summary });
};

interface Comparison {
  readonly summary: ImportSummary;
  readonly staged: { invoices: number; customers: number };
  readonly contentHash: string;
}

type StagedInvoice = Extract<StagedRow, { part: 'INVOICE' }>;
type StagedCustomer = Extract<StagedRow, { part: 'CUSTOMER' }>;

/** The records one step of rows would write: an invoice from its first row, a customer from its newest. */
const recordsOf = (deps: ImportPorts, file: string, index: FileIndex, sources: readonly SourceRow[]) => {
  const invoices: StagedInvoice[] = [];
  const customers: StagedCustomer[] = [];
  for (const source of sources) {
    const result = validateRow(source.values, deps.defaults);
    if (!result.ok)
      throw new UserInputError(`${file}: changed while it was being imported; nothing was imported`);
    const { row } = result;
    if (index.isFirstRowOf(row.invoiceId, source.row)) {
      const zone = index.customerTimeZone(row.customerId) ?? row.timeZone;
      invoices.push({ part: 'INVOICE', row: source.row, invoice: importedInvoice(row, zone) });
    }
    if (index.isNewestRowOf(row.customerId, source.row)) {
      customers.push({ part: 'CUSTOMER', row: source.row, customer: importedCustomer(row) });
    }
  }
  return { invoices, customers };
};

/** Classifies each record against the store's import hashes, counts it, and returns those that changed. */
const changedRecords = async (
  deps: ImportPorts,
  summary: ImportSummary,
  { invoices, customers }: { invoices: StagedInvoice[]; customers: StagedCustomer[] },
): Promise<StagedRow[]> => {
  const stored = await deps.stored.importHashes(
    invoices.map(({ invoice }) => invoice.invoiceId),
    customers.map(({ customer }) => customer.customerId),
  );
  const changed: StagedRow[] = [];
  for (const staged of [...customers, ...invoices]) {
    const [hashes, id, record] =
      staged.part === 'INVOICE'
        ? [stored.invoices, staged.invoice.invoiceId, staged.invoice]
        : [stored.customers, staged.customer.customerId, staged.customer];
    const change: Change = classify(
      hashes.has(id) ? { importHash: hashes.get(id) } : undefined,
      record.importHash,
    );
    (staged.part === 'INVOICE' ? summary.invoices : summary.customers)[change] += 1;
    if (change !== 'unchanged') changed.push(staged);
  }
  return changed;
};

/** The rows in steps of `size`, the last one shorter. */
async function* inSteps<T>(rows: AsyncIterable<T>, size: number): AsyncGenerator<T[]> {
  let step: T[] = [];
  for await (const row of rows) {
    step.push(row);
    if (step.length < size) continue;
    yield step;
    step = [];
  }
  if (step.length > 0) yield step;
}

/** Second pass: classifies every row against the store and, unless dry, stages what changed. */
const compareAndStage = async (
  deps: ImportPorts,
  file: string,
  format: ImportFormat,
  index: FileIndex,
  summary: ImportSummary,
  stageChanges: ((rows: StagedRow[]) => Promise<void>) | undefined,
  read: ReadOptions,
): Promise<Comparison> => {
  const hash = createHash('sha256');
  const staged = { invoices: 0, customers: 0 };
  let compared = 0;
  const step = async (sources: SourceRow[]) => {
    const changed = await changedRecords(deps, summary, recordsOf(deps, file, index, sources));
    if (changed.length > 0 && stageChanges) {
      await stageChanges(changed);
      for (const row of changed) staged[row.part === 'INVOICE' ? 'invoices' : 'customers'] += 1;
    }
    compared += sources.length;
    deps.onProgress?.('comparing', compared, summary.rows);
  };
  const window = taskWindow(STEPS_IN_FLIGHT);
  const rows = deps.source.readRows(file, format, { bytes: (chunk) => hash.update(chunk) }, read);
  for await (const sources of inSteps(rows, STEP_ROWS)) await window.add(() => step(sources));
  await window.drain();
  return { summary, staged, contentHash: hash.digest('hex') };
};

/** First pass: every row validated; a file with any problem, or no rows, is refused here. */
const validateFile = async (
  deps: ImportPorts,
  file: string,
  label: string,
  read: ReadOptions,
  dryRun: boolean,
) => {
  const { format, size } = await deps.source.detectFormat(file, read.encoding);
  const validation = await validateImportFile(
    (observer) => deps.source.readRows(file, format, observer, read),
    format,
    size,
    deps.defaults,
    deps.onProgress,
    deps.itemCheck,
  );
  const summary: ImportSummary = {
    ...emptySummary(label, dryRun),
    rows: validation.rows,
    warnings: validation.warnings,
    ...skippedFields(validation.skipped, read.shape?.profile !== undefined),
  };
  if (validation.problems.length > 0)
    throw new ImportRejectedError({ ...summary, errors: validation.problems });
  if (validation.rows === 0) throw noRows(label, format, summary);
  return { format, validation, summary };
};

/**
 * Compare against a whole ledger: finish any import an earlier crash left committed but unapplied.
 * One that cannot be finished is reported and left for `dunning import --status`: it never blocks this
 * one, unless it is this very file (the same id): then its failure is this import's, as it came (a store
 * fault, not the user's), rather than "another import" holding the file.
 */
const finishEarlierImports = async (
  deps: ImportPorts,
  importId: string,
  label: string,
  summary: ImportSummary,
): Promise<void> => {
  const { failed } = await completePendingImports(deps);
  const own = failed.find((earlier) => earlier.importId === importId);
  if (own)
    throw new Error(
      `${label}: an earlier attempt at this file committed but could not be completed (${own.reason}); run the import again`,
      { cause: own.error },
    );
  for (const { importId: earlier, reason } of failed)
    summary.warnings.push(
      `an earlier import (${earlier}) committed but could not be completed: ${reason}; see "dunning import --status"`,
    );
};

interface StagedImport {
  readonly summary: ImportSummary;
  readonly importId: string;
  /** Whether any row changed: only then was the import opened and its rows staged. */
  readonly opened: boolean;
  readonly staged: { invoices: number; customers: number };
}

/**
 * Both passes over the file: validate it whole, finish earlier imports, then compare and stage. The
 * file index lives only in here, so the apply that follows does not hold it (it is most of what a
 * large import keeps; an async function keeps what its frame held until it returns).
 */
const stageFile = async (
  deps: ImportPorts,
  file: string,
  label: string,
  read: ReadOptions,
  dryRun: boolean,
): Promise<StagedImport> => {
  const { format, validation, summary } = await validateFile(deps, file, label, read, dryRun);
  const store = deps.ledger;
  const importId = importIdOf(validation.contentHash, deps.defaults, read);
  if (!dryRun) await finishEarlierImports(deps, importId, label, summary);

  // Second pass: the import is opened by the first changed rows, so an unchanged file writes nothing.
  let begun: Promise<void> | undefined;
  const stageChanges = dryRun
    ? undefined
    : async (rows: StagedRow[]) => {
        begun ??= store.begin(importId, label, validation.rows);
        await begun;
        await store.stage(importId, rows);
      };
  const comparison = await compareAndStage(deps, file, format, validation.index, summary, stageChanges, read);
  if (comparison.contentHash !== validation.contentHash) {
    throw new UserInputError(`${label}: changed while it was being imported; nothing was imported`);
  }
  return { summary, importId, opened: begun !== undefined, staged: comparison.staged };
};

/**
 * Imports a CSV or JSON file of invoices and customers, all or nothing. Resolves with the summary;
 * rejects with ImportRejectedError (every bad row, nothing written) or another UserInputError.
 */
export const importFile = async (
  deps: ImportPorts,
  file: string,
  options: ImportOptions = {},
): Promise<ImportSummary> => {
  const read: ReadOptions = {
    ...(options.encoding ? { encoding: options.encoding } : {}),
    ...(options.shape ? { shape: options.shape } : {}),
  };
  const { summary, importId, opened, staged } = await stageFile(
    deps,
    file,
    options.label ?? file,
    read,
    options.dryRun ?? false,
  );
  if (!opened) return summary;

  await deps.ledger.commit(importId, staged);
  let applied = 0;
  await applyCommittedImport(deps, importId, (count) => {
    applied += count;
    deps.onProgress?.('applying', applied, staged.invoices);
  });
  return summary;
};
