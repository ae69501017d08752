import { NotFoundError } from '../../errors.ts';
import type { Invoice } from '../model.ts';
import type { Policy } from '../policy.ts';
import type { Clock } from '../ports.ts';
import { type CareActor, type CareEvent, DISPUTED_FLAG } from './events.ts';
import { flagNotCarried, withoutFlag } from './held-flags.ts';
import type { MailVerdict } from './mail-event.ts';
import type {
  CareLedger,
  CareOutcome,
  CustomerCare,
  DisputeOutcome,
  MailOutcome,
  PauseRequest,
  ResolveOutcome,
  ResolveRequest,
  ResumeOutcome,
} from './ports.ts';
import {
  OPT_OUT,
  previousStanding,
  resumedCustomer,
  type StandingChange,
  standingChangeFor,
} from './rules.ts';

export interface CustomerCareDeps {
  readonly ledger: CareLedger;
  readonly policy: Policy;
  /** A customer without a zone (never written by the import) is read in this one. */
  readonly defaultTimeZone: string;
  readonly clock?: Clock;
}

/** Concurrent writers (a run's claim, a payment) bump the invoice's version; clearing a flag re-reads and retries. */
const MAX_ATTEMPTS = 8;

const unknownCustomer = (customerId: string) => new NotFoundError(`No customer "${customerId}" in the store`);
const unknownInvoice = (invoiceId: string) => new NotFoundError(`No invoice "${invoiceId}" in the store`);

type FlagCare = Omit<CareEvent, 'at' | 'customerId' | 'invoiceId' | 'by'>;

/**
 * Customer care over its ledger: each request is one conditional write decided by the rules, then a
 * care record in the audit trail. A request that changes nothing records nothing (a bounce or a
 * complaint excepted: every mail event is kept).
 */
export class CustomerCareService implements CustomerCare {
  private readonly clock: Clock;
  private readonly ledger: CareLedger;

  constructor(private readonly deps: CustomerCareDeps) {
    this.clock = deps.clock ?? (() => new Date());
    this.ledger = deps.ledger;
  }

  async pause(request: PauseRequest) {
    const at = this.clock().toISOString();
    const customer = await this.ledger.setPause(request);
    if (!customer) throw unknownCustomer(request.customerId);
    await this.ledger.record({
      at,
      action: 'paused',
      by: 'operator',
      customerId: request.customerId,
      until: request.until,
      ...(request.reason ? { reason: request.reason } : {}),
    });
    return customer;
  }

  async resume(customerId: string, reason?: string): Promise<ResumeOutcome> {
    const at = this.clock().toISOString();
    const previous = await this.ledger.releaseHold(customerId);
    if (!previous) {
      const customer = await this.ledger.readCustomer(customerId);
      if (!customer) throw unknownCustomer(customerId);
      return { customer, previous: customer, changed: false };
    }
    await this.ledger.record({
      at,
      action: 'resumed',
      by: 'operator',
      customerId,
      previousStatus: previousStanding(previous),
      ...(reason ? { reason } : {}),
    });
    return { customer: resumedCustomer(previous), previous, changed: true };
  }

  /** `unchanged` when the customer already stands elsewhere (a second click, a bounce after an opt-out). */
  private async changeStanding(customerId: string, change: StandingChange, at: string): Promise<CareOutcome> {
    if (await this.ledger.setStanding(customerId, change, at)) return 'changed';
    if (!(await this.ledger.readCustomer(customerId))) throw unknownCustomer(customerId);
    return 'unchanged';
  }

  async optOut(customerId: string, by: CareActor): Promise<CareOutcome> {
    const at = this.clock().toISOString();
    const outcome = await this.changeStanding(customerId, OPT_OUT, at);
    if (outcome === 'changed') await this.ledger.record({ at, action: 'opted_out', by, customerId });
    return outcome;
  }

  async applyMailVerdict(verdict: MailVerdict): Promise<MailOutcome> {
    const change = standingChangeFor(verdict);
    const outcomes = [];
    for (const { customerId } of await this.ledger.customersAt(verdict.email)) {
      const outcome: CareOutcome = change
        ? await this.changeStanding(customerId, change, verdict.at)
        : 'unchanged';
      // Every bounce and complaint is kept, also a soft one and one that changed nothing: the
      // record is keyed by its instant and action, so a redelivered event overwrites its own record.
      await this.ledger.record({
        at: verdict.at,
        action: verdict.action,
        by: 'mail',
        customerId,
        reason: verdict.reason,
        reference: verdict.reference,
      });
      outcomes.push({ customerId, outcome });
    }
    return { verdict, customers: outcomes };
  }

  async dispute(invoiceId: string, reason: string, by: CareActor = 'operator'): Promise<DisputeOutcome> {
    const at = this.clock().toISOString();
    // The invoice keeps its place in the due index: the next run that reaches it records the skip
    // (`disputed`) and takes it out, as for any flag.
    const disputed = await this.ledger.markDisputed(invoiceId, reason);
    const invoice = disputed ?? (await this.invoice(invoiceId));
    const { customerId } = invoice;
    if (!disputed) return { outcome: 'unchanged', invoiceId, customerId };
    await this.ledger.record({ at, action: 'disputed', by, customerId, invoiceId, reason });
    return { outcome: 'changed', invoiceId, customerId };
  }

  async undispute(invoiceId: string, reason?: string): Promise<DisputeOutcome> {
    const { invoice, cleared } = await this.clearFlag(invoiceId, DISPUTED_FLAG, true, {
      action: 'undisputed',
      ...(reason ? { reason } : {}),
    });
    const { customerId } = invoice;
    if (!cleared) return { outcome: 'unchanged', invoiceId, customerId };
    return {
      outcome: 'changed',
      invoiceId,
      customerId,
      ...(cleared.next ? { nextActionAt: cleared.next.toISOString() } : {}),
    };
  }

  async resolve({ invoiceId, flag, reason }: ResolveRequest): Promise<ResolveOutcome> {
    const { invoice, cleared } = await this.clearFlag(invoiceId, flag, false, {
      action: 'resolved',
      flag,
      reason,
    });
    if (!cleared) throw flagNotCarried(invoiceId, flag, invoice.flags);
    return {
      invoiceId,
      customerId: invoice.customerId,
      flag,
      flags: cleared.flags,
      ...(cleared.next ? { nextActionAt: cleared.next.toISOString() } : {}),
    };
  }

  history(customerId: string, invoiceId?: string): Promise<CareEvent[]> {
    return this.ledger.history(customerId, invoiceId);
  }

  private async invoice(invoiceId: string): Promise<Invoice> {
    const invoice = await this.ledger.readInvoice(invoiceId);
    if (!invoice) throw unknownInvoice(invoiceId);
    return invoice;
  }

  /**
   * Clears `flag` from the invoice and puts it back on its schedule, in one write conditioned on the
   * version read (a run's claim or a payment in between makes it re-read), then records `care` with
   * the customer's id. No `cleared` when the invoice does not carry the flag.
   */
  private async clearFlag(
    invoiceId: string,
    flag: string,
    dropDisputeReason: boolean,
    care: FlagCare,
  ): Promise<{ invoice: Invoice; cleared?: { flags: string[]; next: Date | undefined } }> {
    const at = this.clock().toISOString();
    for (let attempt = 1; ; attempt += 1) {
      const invoice = await this.invoice(invoiceId);
      if (!invoice.flags.includes(flag)) return { invoice };
      const customer = await this.ledger.readCustomer(invoice.customerId);
      const zone = customer?.timeZone ?? this.deps.defaultTimeZone;
      const cleared = withoutFlag(invoice, flag, zone, this.deps.policy);
      if (await this.ledger.writeFlags(invoice, { ...cleared, dropDisputeReason })) {
        await this.ledger.record({ ...care, at, by: 'operator', customerId: invoice.customerId, invoiceId });
        return { invoice, cleared };
      }
      if (attempt >= MAX_ATTEMPTS) throw new Error(`invoice ${invoiceId} kept changing; try again`);
    }
  }
}
