import { localDate } from '../calendar.ts';
import type { CustomerFailure, HandOffNote, HandOffRef, PendingImport } from './ports.ts';
import type { ComposedEmail } from './reminder-email.ts';
import type { RunSummary } from './summary.ts';

/** One email a dry run would send (or defer), for the CLI to list. */
export interface OutgoingPreview {
  readonly customerId: string;
  readonly to: string;
  /** The subject the rendered email carries: the very rendering the run would send. */
  readonly subject: string;
  readonly deferredUntil?: string;
  readonly invoices: readonly {
    readonly invoiceId: string;
    readonly invoiceNumber: string;
    readonly stage: string;
    readonly fee: number;
    readonly outstanding: number;
    readonly currency: string;
  }[];
  /** The email itself, kept by a preview only (a dry run of a whole portfolio keeps the subject). */
  readonly rendering?: ComposedEmail;
}

/** One invoice a run left without a reminder, and why: what a preview explains. */
export interface InvoiceSkip {
  readonly invoiceId: string;
  readonly reason: string;
  readonly stage?: string;
}

/** The mutable state of one run, carried across invocations by its checkpoint. */
export interface RunState {
  readonly runId: string;
  readonly asOf: Date;
  readonly startedAt: Date;
  readonly dryRun: boolean;
  readonly summary: RunSummary;
  /** The summary this invocation started from (a resumed run's checkpoint), for what this part did. */
  readonly before: RunSummary;
  readonly handOffs: HandOffRef[];
  /** The hand-offs of this invocation with the invoice and customer it holds: the digest reads none of them. */
  readonly handOffNotes: Map<string, HandOffNote>;
  /** The run's id exists in this invocation only (minted here, never checkpointed). */
  soleHolder: boolean;
  readonly outgoing: OutgoingPreview[];
  /** Customers this invocation could not work (their count is in the summary's `failed`). */
  readonly failures: CustomerFailure[];
  /** Committed imports this invocation could not complete before it worked. */
  readonly pendingImports: readonly PendingImport[];
  /** A preview's dry run: each email keeps its rendering and each skip is listed, not only counted. */
  readonly explain?: { readonly skips: InvoiceSkip[] };
}

/** The customer's day for the digest and the summary. */
export const runDate = (asOf: Date, timeZone: string): string => localDate(asOf, timeZone);
