import { daysOverdue, localDate } from '../calendar.ts';
import { type Customer, type Invoice, invoiceBalance, outstanding, type StageClaim } from '../model.ts';
import type { Stage } from '../policy.ts';
import type { OutgoingEmail } from '../ports.ts';
import type { ReminderLine } from '../reminder/types.ts';
import { nextActionAt } from '../schedule.ts';
import {
  type AssessContext,
  abandonedClaims,
  assessInvoice,
  customerSkip,
  gapAllows,
  gapBoundary,
} from './assess.ts';
import type { RunDependencies } from './dependencies.ts';
import { isWithinBusinessHours, nextOpening } from './opening.ts';
import type { CustomerClaim, HandOffNote, HandOffRef } from './ports.ts';
import { PermanentSendError, TransientSendError } from './send-errors.ts';
import { countSkip, type RunSummary } from './summary.ts';

/** One email a dry run would send (or defer), for the CLI to list. */
export interface OutgoingPreview {
  readonly customerId: string;
  readonly to: string;
  readonly deferredUntil?: string;
  readonly invoices: readonly {
    readonly invoiceId: string;
    readonly invoiceNumber: string;
    readonly stage: string;
    readonly fee: number;
    readonly outstanding: number;
    readonly currency: string;
  }[];
}

/** The mutable state of one run, carried across invocations by its checkpoint. */
export interface RunState {
  readonly runId: string;
  readonly asOf: Date;
  readonly startedAt: Date;
  readonly dryRun: boolean;
  readonly summary: RunSummary;
  readonly handOffs: HandOffRef[];
  /** The hand-offs of this invocation with the invoice and customer it holds: the digest reads none of them. */
  readonly handOffNotes: Map<string, HandOffNote>;
  /** The run's id exists in this invocation only (minted here, never checkpointed). */
  soleHolder: boolean;
  readonly outgoing: OutgoingPreview[];
}

interface Candidate {
  readonly invoice: Invoice;
  readonly stage: Stage;
}

const paymentUrl = (invoice: Invoice, template: string): string =>
  invoice.paymentUrl ?? template.replaceAll('{invoiceId}', encodeURIComponent(invoice.invoiceId));

/** Strips what could end a header line: a customer's name or address never reaches a header raw. */
const headerSafe = (value: string): string => value.replace(/[\r\n]+/g, ' ').trim();

/**
 * Works one customer's due invoices in a run: skips and index repairs, the minimum gap, business
 * hours, then the at-most-once send: claim the customer, re-read and claim each invoice's stage,
 * send ONE email with every claimed invoice, record the message id.
 */
export class CustomerReminder {
  constructor(
    private readonly deps: RunDependencies,
    private readonly state: RunState,
  ) {}

  private get context(): AssessContext {
    return {
      policy: this.deps.policy,
      asOf: this.state.asOf,
      now: this.deps.clock(),
      runId: this.state.runId,
      staleClaimMs: this.deps.staleClaimMs ?? 20 * 60_000,
    };
  }

  /** The run's "now" for business hours: `asOf` moved on by the real time the run has taken so far. */
  private sendInstant(): Date {
    return new Date(
      this.state.asOf.getTime() + (this.deps.clock().getTime() - this.state.startedAt.getTime()),
    );
  }

  private async skip(invoice: Invoice, reason: string, stage?: string): Promise<void> {
    countSkip(this.state.summary, reason);
    if (this.state.dryRun) return;
    await this.deps.ledger.recordSkip({
      invoiceId: invoice.invoiceId,
      at: this.state.asOf.toISOString(),
      reason,
      runId: this.state.runId,
      stage,
    });
  }

  private next(invoice: Invoice, customer: Customer): Date | undefined {
    return nextActionAt(invoice, customer.timeZone, this.deps.policy);
  }

  /** Flags claims of dead runs `unknown` (never resent) and returns the invoice as it now stands. */
  private async settleAbandoned(indexed: Invoice, customer: Customer): Promise<Invoice> {
    if (abandonedClaims(indexed, this.context).length === 0) return indexed;
    // The index's copy may lag: a claim is only judged dead on the item itself.
    const invoice = (await this.deps.ledger.readInvoice(indexed.invoiceId)) ?? indexed;
    const abandoned = abandonedClaims(invoice, this.context);
    if (abandoned.length === 0) return invoice;
    for (const claim of abandoned) {
      await this.skip(invoice, 'unknown_outcome', claim.stage);
      if (!this.state.dryRun) {
        const settled = {
          ...invoice,
          claims: { ...invoice.claims, [claim.stage]: { ...claim, status: 'unknown' } },
        };
        await this.deps.ledger.markUnknown(invoice, claim, this.next(settled as Invoice, customer));
      }
    }
    if (this.state.dryRun) return invoice;
    return (await this.deps.ledger.readInvoice(invoice.invoiceId)) ?? invoice;
  }

  /** Applies every invoice-level rule; returns what is left to send. */
  private async sort(invoices: readonly Invoice[], customer: Customer): Promise<Candidate[]> {
    const candidates: Candidate[] = [];
    for (const read of invoices) {
      this.state.summary.considered += 1;
      const invoice = await this.settleAbandoned(read, customer);
      const verdict = assessInvoice(invoice, customer, this.context);
      switch (verdict.kind) {
        case 'due':
          candidates.push({ invoice, stage: verdict.stage });
          break;
        case 'skip':
          await this.skip(invoice, verdict.reason);
          if (verdict.leaveIndex && !this.state.dryRun) await this.deps.ledger.reindex(invoice, undefined);
          break;
        case 'closed':
        case 'not_due':
          if (!this.state.dryRun) await this.deps.ledger.reindex(invoice, this.next(invoice, customer));
          break;
        case 'in_flight':
          break;
      }
    }
    return candidates;
  }

  async remind(invoices: readonly Invoice[], customer: Customer): Promise<void> {
    const candidates = await this.sort(invoices, customer);
    if (candidates.length === 0) return;
    const { policy } = this.deps;
    // A concurrent run as of the same instant already holds this customer: it sends and reports these.
    if (customer.lastReminderAt === this.state.asOf.toISOString()) return;
    if (!gapAllows(customer, this.state.asOf, policy.minimumGapDays)) {
      for (const { invoice, stage } of candidates) await this.skip(invoice, 'min_gap', stage.name);
      return;
    }
    const sendAt = this.sendInstant();
    if (!isWithinBusinessHours(sendAt, customer.timeZone, this.deps.businessHours)) {
      const opening = nextOpening(sendAt, customer.timeZone, this.deps.businessHours);
      this.state.summary.deferred += candidates.length;
      if (this.state.dryRun) this.preview(customer, candidates, opening.instant.toISOString());
      else
        await this.deps.scheduler.defer({
          customerId: customer.customerId,
          runId: this.state.runId,
          opening,
        });
      return;
    }
    if (this.state.dryRun) {
      this.preview(customer, candidates);
      this.state.summary.sent += candidates.length;
      this.state.summary.emails += 1;
      return;
    }
    await this.send(customer, candidates);
  }

  private fee(invoice: Invoice, stage: Stage): number {
    return this.deps.stageFee(stage, invoice.currency, invoiceBalance(invoice));
  }

  private preview(customer: Customer, candidates: readonly Candidate[], deferredUntil?: string): void {
    this.state.outgoing.push({
      customerId: customer.customerId,
      to: customer.email,
      ...(deferredUntil ? { deferredUntil } : {}),
      invoices: candidates.map(({ invoice, stage }) => {
        const fee = this.fee(invoice, stage);
        return {
          invoiceId: invoice.invoiceId,
          invoiceNumber: invoice.invoiceNumber,
          stage: stage.name,
          fee,
          outstanding: outstanding(invoice) + fee,
          currency: invoice.currency,
        };
      }),
    });
  }

  /** Re-reads and claims one invoice's stage; the claimed invoice, or undefined when it must not go. */
  private async claim(candidate: Candidate, customer: Customer): Promise<Invoice | undefined> {
    const { ledger, hooks } = this.deps;
    const invoice = await ledger.readInvoice(candidate.invoice.invoiceId);
    if (!invoice) return undefined;
    await hooks?.afterReread?.(invoice);
    const verdict = assessInvoice(invoice, customer, this.context);
    if (verdict.kind !== 'due' || verdict.stage.name !== candidate.stage.name) {
      if (verdict.kind === 'skip') await this.skip(invoice, verdict.reason, candidate.stage.name);
      return undefined;
    }
    const claim: StageClaim = {
      stage: verdict.stage.name,
      status: 'claimed',
      claimedAt: this.deps.clock().toISOString(),
      runId: this.state.runId,
      fee: this.fee(invoice, verdict.stage),
    };
    const claimed = await ledger.claimStage(invoice, claim);
    if (claimed) return claimed;
    // Lost the conditional write: a payment or another run got there first. Say why, if it is ours to say.
    const now = await ledger.readInvoice(invoice.invoiceId);
    if (now) {
      const after = assessInvoice(now, customer, this.context);
      if (after.kind === 'skip') await this.skip(now, after.reason, candidate.stage.name);
    }
    return undefined;
  }

  private line(invoice: Invoice, stage: Stage, customer: Customer): ReminderLine {
    return {
      invoice,
      stage,
      daysOverdue: daysOverdue(invoice.dueDate, this.state.asOf, customer.timeZone),
      fee: invoice.claims[stage.name]?.fee ?? 0,
      outstanding: outstanding(invoice),
      paymentUrl: paymentUrl(invoice, this.deps.paymentUrlTemplate),
    };
  }

  private email(customer: Customer, lines: readonly ReminderLine[]): OutgoingEmail {
    const unsubscribeUrl = this.deps.unsubscribeUrl(customer);
    const rendered = this.deps.render({
      customer,
      lines,
      policy: this.deps.policy,
      now: this.state.asOf,
      unsubscribeUrl,
    });
    return {
      to: headerSafe(customer.email),
      subject: headerSafe(rendered.subject),
      html: rendered.html,
      text: rendered.text,
      headers: {
        'List-Unsubscribe': `<${headerSafe(unsubscribeUrl)}>`,
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      },
      replyTo: this.deps.policy.company.contactEmail,
      fromName: this.deps.policy.company.name,
    };
  }

  private async send(customer: Customer, candidates: readonly Candidate[]): Promise<void> {
    const { ledger, mailer, policy } = this.deps;
    const at = this.state.asOf.toISOString();
    const boundary = gapBoundary(customer, this.state.asOf, policy.minimumGapDays).toISOString();
    const customerClaim = await ledger.claimCustomer(customer, at, boundary, this.state.runId);
    if (!customerClaim) {
      // A concurrent run as of the same instant holds the customer: it sends and reports these.
      const holder = (await ledger.readCustomers([customer.customerId])).get(customer.customerId);
      if (holder?.lastReminderAt === at) return;
      // The customer was paused, opted out or bounced after this run read them.
      const standing = holder && customerSkip(holder, localDate(this.state.asOf, holder.timeZone));
      if (standing) {
        for (const { invoice, stage } of candidates) await this.skip(invoice, standing, stage.name);
        return;
      }
      // Otherwise another run reminded this customer a moment ago: the gap applies as to any reminder.
      for (const { invoice, stage } of candidates) await this.skip(invoice, 'min_gap', stage.name);
      return;
    }
    const claimed: { invoice: Invoice; stage: Stage }[] = [];
    for (const candidate of candidates) {
      const invoice = await this.claim(candidate, customer);
      if (invoice) claimed.push({ invoice, stage: candidate.stage });
    }
    if (claimed.length === 0) {
      await ledger.releaseCustomer(customer, at, this.state.runId, customerClaim);
      return;
    }
    const lines = claimed.map(({ invoice, stage }) => this.line(invoice, stage, customer));
    let messageId: string;
    try {
      ({ messageId } = await mailer.send(this.email(customer, lines)));
    } catch (error) {
      await this.unsent(error, customer, claimed, customerClaim);
      return;
    }
    await this.deps.hooks?.afterSend?.(customer, messageId);
    this.state.summary.emails += 1;
    this.state.summary.sent += claimed.length;
    const sentAt = this.deps.clock().toISOString();
    for (const [index, { invoice, stage }] of claimed.entries()) {
      const handedOff = stage.handOff;
      const after = { ...invoice, status: handedOff ? ('handed_off' as const) : invoice.status };
      const fee = invoice.claims[stage.name]?.fee ?? 0;
      await ledger.recordSent(invoice, {
        stage: stage.name,
        runId: this.state.runId,
        sentAt,
        messageId,
        fee,
        customerId: customer.customerId,
        nextActionAt: this.next(after, customer),
        ...(handedOff
          ? {
              callTask: {
                createdAt: sentAt,
                stage: stage.name,
                runId: this.state.runId,
                status: 'open',
                assignee: policy.collections.name,
              },
            }
          : {}),
      });
      if (handedOff) {
        const ref = {
          invoiceId: invoice.invoiceId,
          customerId: customer.customerId,
          outstanding: lines[index]?.outstanding ?? outstanding(invoice),
          daysOverdue: lines[index]?.daysOverdue ?? 0,
        };
        this.state.handOffs.push(ref);
        const { outstanding: owed, daysOverdue } = ref;
        this.state.handOffNotes.set(ref.invoiceId, {
          invoice: after,
          customer,
          outstanding: owed,
          daysOverdue,
        });
      }
    }
  }

  /** The email did not (provably) go: failed for good, to be retried, or unknown. */
  private async unsent(
    error: unknown,
    customer: Customer,
    claimed: readonly { invoice: Invoice; stage: Stage }[],
    customerClaim: CustomerClaim,
  ): Promise<void> {
    const { ledger } = this.deps;
    const at = this.state.asOf.toISOString();
    for (const { invoice, stage } of claimed) {
      const claim = invoice.claims[stage.name] as StageClaim;
      if (error instanceof PermanentSendError) {
        const over = {
          ...invoice,
          claims: { ...invoice.claims, [stage.name]: { ...claim, status: 'failed' } },
        };
        await ledger.recordFailed(invoice, claim, this.next(over as Invoice, customer));
      } else if (error instanceof TransientSendError) {
        await ledger.releaseClaim(invoice, claim);
      } else {
        await this.skip(invoice, 'unknown_outcome', stage.name);
        await ledger.markUnknown(invoice, claim, this.next(invoice, customer));
      }
    }
    if (error instanceof PermanentSendError || error instanceof TransientSendError) {
      this.state.summary.failed += claimed.length;
      await ledger.releaseCustomer(customer, at, this.state.runId, customerClaim);
    }
  }
}

/** The customer's day for the digest and the summary. */
export const runDate = (asOf: Date, timeZone: string): string => localDate(asOf, timeZone);
