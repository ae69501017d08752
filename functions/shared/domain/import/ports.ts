import type { ImportedCustomer, ImportedInvoice } from './records.ts';
import type { ImportFormat, ReadObserver, ReadOptions, SourceRow } from './source-row.ts';

/** One staged row: the file's row number keeps staged items in file order. */
export type StagedRow =
  | { readonly part: 'INVOICE'; readonly row: number; readonly invoice: ImportedInvoice }
  | { readonly part: 'CUSTOMER'; readonly row: number; readonly customer: ImportedCustomer };

export type ImportPart = StagedRow['part'];

export interface StagedCounts {
  readonly invoices: number;
  readonly customers: number;
}

/**
 * The staged import on the store (docs/data-model.md, "Imports"): changed rows are staged under the
 * import's own record, where no reader of invoices looks; one conditional write commits the import;
 * only then are the staged rows laid onto the ledger.
 */
export interface ImportLedger {
  /**
   * Opens (or reopens, after an abandoned or a completed attempt) an import for staging; a
   * `UserInputError` while the same import is committed and being applied.
   */
  begin(importId: string, file: string, rows: number): Promise<void>;
  stage(importId: string, rows: readonly StagedRow[]): Promise<void>;
  /** The one write that makes an import happen: after it, the import is applied whatever crashes. */
  commit(importId: string, counts: StagedCounts): Promise<void>;
  /**
   * Lays one part's staged rows onto the ledger and takes them out of staging, page by page (a crash
   * in between only applies a page again, as no-ops); `onApplied` hears each page's row count.
   */
  applyStaged(importId: string, part: ImportPart, onApplied?: (count: number) => void): Promise<void>;
  /** Marks a committed import applied; nothing when another applier came first. */
  markApplied(importId: string): Promise<void>;
  /** Imports committed but not (fully) applied, oldest first. */
  pendingImportIds(): Promise<string[]>;
  /** Keeps a failed roll-forward's reason on the import for `dunning import --status`. */
  recordRollForwardFailure(importId: string, reason: string): Promise<void>;
}

/** Payments that arrived before their invoice was imported, kept as unmatched events until it is. */
export interface WaitingPayments {
  /** The invoices unmatched events wait for (one index query: usually there are none). */
  waitingInvoiceIds(): Promise<readonly string[]>;
  /** Applies the events waiting for the invoice, each exactly once. */
  applyWaitingFor(invoiceId: string): Promise<void>;
}

export interface RollForwardPorts {
  readonly ledger: ImportLedger;
  readonly payments: WaitingPayments;
}

/** The import file, read as often as the pipeline needs (a validation pass, then a staging pass). */
export interface ImportSource {
  detectFormat(
    file: string,
    encoding?: string,
  ): Promise<{ readonly format: ImportFormat; readonly size: number }>;
  readRows(
    file: string,
    format: ImportFormat,
    observer: ReadObserver,
    read: ReadOptions,
  ): AsyncIterable<SourceRow>;
}

/** What the store holds of the records a file names: present ids, each with the hash it was imported with. */
export interface StoredRecords {
  importHashes(
    invoiceIds: readonly string[],
    customerIds: readonly string[],
  ): Promise<{
    readonly invoices: ReadonlyMap<string, string | undefined>;
    readonly customers: ReadonlyMap<string, string | undefined>;
  }>;
}
