import type { Customer, Invoice } from '../model.ts';
import type { CareActor, CareEvent } from './events.ts';
import type { ResolvableFlag } from './held-flags.ts';
import type { MailVerdict } from './mail-event.ts';
import type { StandingChange } from './rules.ts';

/** What became of one request: `unchanged` when the ledger already said so (a repeated click or event). */
export type CareOutcome = 'changed' | 'unchanged';

export interface PauseRequest {
  readonly customerId: string;
  readonly until: string;
  readonly reason?: string;
}

export interface DisputeOutcome {
  readonly outcome: CareOutcome;
  readonly invoiceId: string;
  readonly customerId: string;
  readonly nextActionAt?: string;
}

/** A cleared flag: the flags still holding the invoice, and when it is due again if none does. */
export interface ResolveOutcome {
  readonly invoiceId: string;
  readonly customerId: string;
  readonly flag: string;
  readonly flags: readonly string[];
  readonly nextActionAt?: string;
}

export interface ResolveRequest {
  readonly invoiceId: string;
  readonly flag: ResolvableFlag;
  readonly reason: string;
}

/** `changed` is false (and nothing is recorded) when the customer was not held back at all. */
export interface ResumeOutcome {
  readonly customer: Customer;
  readonly previous: Customer;
  readonly changed: boolean;
}

/** A mail event's effect on each customer reached at the address; none when no customer has it. */
export interface MailOutcome {
  readonly verdict: MailVerdict;
  readonly customers: readonly { readonly customerId: string; readonly outcome: CareOutcome }[];
}

/**
 * Customer care on the ledger: every change is one conditional write on the customer's or the
 * invoice's item, then a care record in the audit trail. Unknown ids are `NotFoundError`s.
 */
export interface CustomerCare {
  pause(request: PauseRequest): Promise<Customer>;
  /** Clears a pause, an opt-out or a bounce: reminders restart on the customer's request. */
  resume(customerId: string, reason?: string): Promise<ResumeOutcome>;
  optOut(customerId: string, by: CareActor): Promise<CareOutcome>;
  applyMailVerdict(verdict: MailVerdict): Promise<MailOutcome>;
  /** `by` is the operator (`dunning dispute`) unless the customer disputed from a reminder's link. */
  dispute(invoiceId: string, reason: string, by?: CareActor): Promise<DisputeOutcome>;
  undispute(invoiceId: string, reason?: string): Promise<DisputeOutcome>;
  /** Clears an operator-held flag; a flag the invoice does not carry is a `UserInputError`. */
  resolve(request: ResolveRequest): Promise<ResolveOutcome>;
  /** Care records of a customer (and of one invoice of theirs), oldest first. */
  history(customerId: string, invoiceId?: string): Promise<CareEvent[]>;
}

/**
 * What customer care needs from the store, in its words. Every write is one conditional write on one
 * item, so a concurrent writer (a run's claim, a payment, a second click) is never overwritten; the
 * rules it is conditioned on (which standings a change may replace) come from `rules.ts`.
 */
export interface CareLedger {
  readCustomer(customerId: string): Promise<Customer | undefined>;
  readInvoice(invoiceId: string): Promise<Invoice | undefined>;
  /** The customers reached at an address (normalised, lower case): several may share one. */
  customersAt(email: string): Promise<readonly Pick<Customer, 'customerId'>[]>;
  /** The customer with the pause set; `undefined` when there is no such customer. */
  setPause(request: PauseRequest): Promise<Customer | undefined>;
  /**
   * Makes the customer active and clears their pause, only if held back (`isHeldBack`): the customer
   * as they were, or `undefined` when not held back or unknown.
   */
  releaseHold(customerId: string): Promise<Customer | undefined>;
  /** Sets the change's status stamped `at`, only over its `over` standings; false when it did not apply. */
  setStanding(customerId: string, change: StandingChange, at: string): Promise<boolean>;
  /** Flags the invoice disputed with the reason; `undefined` when it was already (or is unknown). */
  markDisputed(invoiceId: string, reason: string): Promise<Invoice | undefined>;
  /**
   * Writes the invoice's flags and when it is due next (none: out of the due index), only if its
   * version is still the one read; false when a concurrent writer came first.
   */
  writeFlags(invoice: Invoice, change: FlagsChange): Promise<boolean>;
  /** Appends a care record to the audit trail (keyed by its instant and action: a redelivery overwrites its own). */
  record(event: CareEvent): Promise<void>;
  history(customerId: string, invoiceId?: string): Promise<CareEvent[]>;
}

export interface FlagsChange {
  readonly flags: readonly string[];
  readonly next: Date | undefined;
  /** An undispute also drops the dispute's reason. */
  readonly dropDisputeReason?: boolean;
}
