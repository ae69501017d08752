import type { Customer, Invoice, Skip, StageClaim } from '../model.ts';
import type { Opening } from './opening.ts';
import type { RunSummary } from './summary.ts';

/**
 * What the dunning run needs from the store and the scheduler. Every write is one conditional write
 * on one item (the store has no transactions); the adapters under adapters/dynamodb/run-*.ts and
 * adapters/scheduler implement these.
 */

/** The person the final stage hands an invoice to; recorded on the invoice, shown by `dunning show`. */
export interface CallTask {
  readonly createdAt: string;
  readonly stage: string;
  readonly runId: string;
  readonly status: 'open';
  readonly assignee: string;
}

export interface SentRecord {
  readonly stage: string;
  readonly runId: string;
  readonly sentAt: string;
  readonly messageId: string;
  readonly fee: number;
  readonly customerId: string;
  /** The next stage's start in the customer's zone; absent when the invoice leaves dunning. */
  readonly nextActionAt?: Date;
  readonly callTask?: CallTask;
}

export interface RunLedger {
  /**
   * Invoices whose next action is at or before `asOf`: the due index, every shard, every page. The
   * index's copies may lag the items (eventually consistent): good for deciding what to look at, not
   * for claiming, which goes by `readInvoice`.
   */
  dueInvoices(asOf: Date): Promise<Invoice[]>;
  /** The same for one customer's invoices (a deferred run). */
  customerDueInvoices(customerId: string, asOf: Date): Promise<Invoice[]>;
  /** Consistent point reads; ids without an item are left out. */
  readInvoices(invoiceIds: readonly string[]): Promise<Invoice[]>;
  readInvoice(invoiceId: string): Promise<Invoice | undefined>;
  readCustomers(customerIds: readonly string[]): Promise<Map<string, Customer>>;

  /** Claims a stage unless it is claimed already or the invoice changed since read; the claimed invoice, or undefined. */
  claimStage(invoice: Invoice, claim: StageClaim): Promise<Invoice | undefined>;
  recordSent(invoice: Invoice, record: SentRecord): Promise<void>;
  /** The provider refused the message for good: the stage is over, its fee is taken back. */
  recordFailed(invoice: Invoice, claim: StageClaim, nextActionAt: Date | undefined): Promise<void>;
  /** Nothing left the building (throttled to the end): the claim is removed so a later run tries again. */
  releaseClaim(invoice: Invoice, claim: StageClaim): Promise<void>;
  /** A claim whose send outcome nobody knows: flagged `unknown`, never resent, moved on in the index. */
  markUnknown(invoice: Invoice, claim: StageClaim, nextActionAt: Date | undefined): Promise<void>;
  recordSkip(skip: Skip & { readonly stage?: string }): Promise<void>;
  /** The run could not work this invoice's customer: a `failed` record with its reason, and the mark a later run orders by. */
  recordFailure(failure: InvoiceFailure): Promise<void>;
  /** Moves the invoice in the due index (or out of it), unless it changed since read. */
  reindex(invoice: Invoice, nextActionAt: Date | undefined): Promise<void>;

  /**
   * Takes the customer for this run if their last reminder lies before `boundary` (the minimum gap);
   * what it replaced, or undefined when another run holds the customer.
   */
  claimCustomer(
    customer: Customer,
    at: string,
    boundary: string,
    runId: string,
  ): Promise<CustomerClaim | undefined>;
  /** Gives the gap back when the run sent the customer nothing after all. */
  releaseCustomer(customer: Customer, at: string, runId: string, claim: CustomerClaim): Promise<void>;
  /** At most one hand-off digest per run. */
  claimDigest(runId: string): Promise<boolean>;
}

export interface InvoiceFailure {
  readonly invoiceId: string;
  readonly at: string;
  readonly runId: string;
  readonly reason: string;
  readonly stage?: string;
}

/** One customer the run could not work, with the invoices it left unreminded. */
export interface CustomerFailure {
  readonly runId: string;
  readonly customerId: string;
  readonly invoiceIds: readonly string[];
  readonly reason: string;
}

/** What a run reports as it goes, for logs and metrics; never an address or a body. */
export interface RunEvents {
  customerFailed(failure: CustomerFailure): void;
  /** Committed imports could not be completed before the run; it went on with the store as it is. */
  importsPending?(failures: readonly PendingImport[]): void;
}

/** A committed import the run could not complete first (its id, when the store could list it). */
export interface PendingImport {
  readonly importId?: string;
  readonly reason: string;
}

export interface CustomerClaim {
  readonly previousReminderAt?: string;
}

/** Work deferred to a customer's next business opening. */
export interface Deferral {
  readonly customerId: string;
  readonly runId: string;
  readonly opening: Opening;
}

export interface DeferralScheduler {
  /** Idempotent: the same customer and opening schedule once. */
  defer(deferral: Deferral): Promise<'scheduled' | 'already_scheduled'>;
}

/** A customer waiting in the store for an opening instant. */
export interface WaitingCustomer {
  readonly customerId: string;
  readonly runId: string;
  readonly at: Date;
}

/** The customers waiting for an opening: written when deferred, taken when the opening's run works them. */
export interface DeferralBook {
  /** Idempotent per customer and opening instant. */
  put(deferral: Deferral): Promise<'scheduled' | 'already_scheduled'>;
  /** Every customer whose opening is at or before `upTo` (a missed opening is caught up), oldest first. */
  due(upTo: Date): Promise<WaitingCustomer[]>;
  complete(waiting: WaitingCustomer): Promise<void>;
}

/**
 * Wakes the run at an opening instant (an EventBridge Scheduler one-time schedule in AWS), whatever
 * the zones of the customers waiting for it. Idempotent per instant: asked twice, it wakes once.
 */
export interface OpeningAlarm {
  wakeAt(opening: Opening): Promise<'scheduled' | 'already_scheduled'>;
}

export type RunScope =
  | { readonly kind: 'all' }
  | { readonly kind: 'customer'; readonly customerId: string }
  /** Every customer waiting for an opening instant (ISO, UTC) or an earlier one. */
  | { readonly kind: 'opening'; readonly at: string };

/** Where a run that ran out of time resumes: everything a fresh invocation needs. */
export interface RunCheckpoint {
  readonly runId: string;
  readonly scope: RunScope;
  /** ISO instant (UTC) the run is as of. */
  readonly asOf: string;
  /** ISO instant (UTC) the run began, on the real clock. */
  readonly startedAt: string;
  /** Customers are processed in id order; every id up to this one is done. */
  readonly cursor?: string;
  readonly summary: RunSummary;
  readonly handOffs: readonly HandOffRef[];
}

/** What started a run: the daily schedule, a deferral, a continuation, or a person. */
export type RunTrigger = 'daily' | 'opening' | 'deferred' | 'continue' | 'cli' | 'dev';
export type RunStatus = 'running' | 'continuing' | 'done' | 'failed';

/** A run as `dunning runs` lists it: one record per run id, across all its parts. */
export interface RunRecord {
  readonly runId: string;
  readonly trigger: RunTrigger;
  readonly scope: RunScope;
  /** ISO instants (UTC). */
  readonly asOf: string;
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly status: RunStatus;
  readonly summary: RunSummary;
  /** Until when the invocation working it holds it; a `running` record past it was left by a dead one. */
  readonly leaseUntil?: string;
  /** Why a `failed` run stopped. */
  readonly error?: string;
}

/**
 * The run records, which are also the run's hold on its id: two deliveries of the same deferred or
 * continuing invocation at once cannot both work it, so neither sends twice or reads the other's
 * claims as abandoned.
 */
export interface RunJournal {
  /**
   * Takes the run for this invocation until `leaseUntil`: false when another live invocation holds
   * it or it is done (a repeated delivery). A run that failed, or whose holder died, may be taken.
   */
  begin(record: RunRecord): Promise<boolean>;
  /** Writes the run's summary and status (`continuing`, `done`, `failed`), giving up the hold. */
  end(record: RunRecord): Promise<void>;
}

export interface CheckpointStore {
  save(checkpoint: RunCheckpoint): Promise<void>;
  load(runId: string): Promise<RunCheckpoint | undefined>;
}

/** One invoice handed to a person in this run, for the collections digest. */
export interface HandOffNote {
  readonly invoice: Invoice;
  readonly customer: Customer;
  readonly outstanding: number;
  readonly daysOverdue: number;
}

/** A hand-off as a checkpoint keeps it: small, the invoice and customer are read again for the digest. */
export interface HandOffRef {
  readonly invoiceId: string;
  readonly customerId: string;
  readonly outstanding: number;
  readonly daysOverdue: number;
}
