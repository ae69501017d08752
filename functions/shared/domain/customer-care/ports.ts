import type { Customer } from '../model.ts';
import type { CareActor, CareEvent } from './events.ts';
import type { ResolvableFlag } from './held-flags.ts';
import type { MailVerdict } from './mail-event.ts';

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
