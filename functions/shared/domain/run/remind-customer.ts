import { unmatchedClaimNotice } from '../answers/emails.ts';
import { answerLapse, settledInPlace } from '../answers/rules.ts';
import { daysOverdue, localDate } from '../calendar.ts';
import { closedDaysFor } from '../holidays.ts';
import type { LatePaymentClaim } from '../interest/claim.ts';
import { claimedLatePayment } from '../interest/reminder-claim.ts';
import { type Customer, type Invoice, outstanding, type StageClaim } from '../model.ts';
import type { Stage } from '../policy.ts';
import type { OutgoingEmail } from '../ports.ts';
import type { ReminderLine } from '../reminder/types.ts';
import { nextActionAt } from '../schedule.ts';
import {
  type AssessContext,
  abandonedClaims,
  assessInvoice,
  customerSkip,
  gapBoundary,
  STALE_CLAIM_MS,
} from './assess.ts';
import type { RunDependencies } from './dependencies.ts';
import { failureReason } from './failure.ts';
import { type Candidate, type CustomerPlan, planCustomer } from './plan.ts';
import type { CustomerClaim, CustomerFailure, HandOffNote, HandOffRef, PendingImport } from './ports.ts';
import {
  type ComposedEmail,
  latePaymentClaims,
  lineFigures,
  plannedLines,
  reminderEmail,
} from './reminder-email.ts';
import { PermanentSendError, TransientSendError } from './send-errors.ts';
import { countSkip, type RunSummary } from './summary.ts';

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

/** The facts a rendering shows of one line: equal facts render the same email. */
const lineFacts = (line: ReminderLine): string =>
  JSON.stringify([
    line.invoice.invoiceId,
    line.invoice.invoiceNumber,
    line.invoice.currency,
    line.invoice.issueDate,
    line.invoice.dueDate,
    line.stage.name,
    line.fee,
    line.outstanding,
    line.daysOverdue,
    line.paymentUrl,
  ]);

/**
 * Works one customer's due invoices in a run, in three steps: decide (settle dead claims, then a pure
 * plan: skips, index repairs, the minimum gap, business hours), render the email the plan sends, and
 * only then the at-most-once send: claim the customer, re-read and claim each invoice's stage, send
 * ONE email with every claimed invoice, record the message id. Whatever goes wrong for this customer
 * is recorded on their invoices and counted as failed; it never reaches the rest of the run.
 */
export class CustomerReminder {
  /** Invoices of this customer already counted (sent, deferred, skipped, failed) in the summary. */
  private readonly counted = new Set<string>();

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
      staleClaimMs: this.deps.staleClaimMs ?? STALE_CLAIM_MS,
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
    this.counted.add(invoice.invoiceId);
    this.state.explain?.skips.push({ invoiceId: invoice.invoiceId, reason, ...(stage ? { stage } : {}) });
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

  /** Works the customer; any error is theirs alone: recorded, counted as failed, never rethrown. */
  async remind(invoices: readonly Invoice[], customer: Customer): Promise<void> {
    this.state.summary.considered += invoices.length;
    try {
      await this.work(invoices, customer);
    } catch (error) {
      await this.fail(invoices, customer, error);
    }
  }

  private async work(invoices: readonly Invoice[], customer: Customer): Promise<void> {
    const settled: Invoice[] = [];
    for (const read of invoices)
      settled.push(await this.settleLapsedAnswer(await this.settleAbandoned(read, customer), customer));
    const sendAt = this.sendInstant();
    const plan = planCustomer(settled, customer, {
      ...this.context,
      businessHours: this.deps.businessHours,
      sendAt,
      closed: await closedDaysFor(this.deps.holidays, customer.country, sendAt, customer.timeZone),
    });
    await this.applyVerdicts(plan, customer);
    const { action } = plan;
    const claims =
      action.kind === 'send' || action.kind === 'defer'
        ? await latePaymentClaims(this.deps, action.candidates, customer, this.state.asOf)
        : undefined;
    switch (action.kind) {
      case 'nothing':
      case 'held_elsewhere':
        return;
      case 'min_gap':
        for (const { invoice, stage } of action.candidates) await this.skip(invoice, 'min_gap', stage.name);
        return;
      case 'defer': {
        // Rendered now, so a customer whose email cannot be rendered fails today, not at their opening.
        const lines = this.plannedLines(action.candidates, customer, claims);
        const email = this.email(customer, lines);
        this.count('deferred', action.candidates);
        if (this.state.dryRun) this.preview(customer, email, lines, action.opening.instant.toISOString());
        else
          await this.deps.scheduler.defer({
            customerId: customer.customerId,
            runId: this.state.runId,
            opening: action.opening,
          });
        return;
      }
      case 'send': {
        const lines = this.plannedLines(action.candidates, customer, claims);
        const email = this.email(customer, lines);
        if (this.state.dryRun) {
          this.preview(customer, email, lines);
          this.count('sent', action.candidates);
          this.state.summary.emails += 1;
          return;
        }
        await this.send(customer, action.candidates, lines, email.email);
      }
    }
  }

  private count(field: 'sent' | 'deferred' | 'failed', invoices: readonly { invoice: Invoice }[]): void {
    this.state.summary[field] += invoices.length;
    for (const { invoice } of invoices) this.counted.add(invoice.invoiceId);
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

  /**
   * An answer whose days are over unpaid is recorded (broken promise, unmatched payment claim) before
   * the invoice is planned, so reminders resume in this very run, with wording that refers to it.
   * A broken promise may hand the invoice to a person at once; an unmatched claim is told to
   * collections. Both follow the won conditional write, so they happen once.
   */
  private async settleLapsedAnswer(invoice: Invoice, customer: Customer): Promise<Invoice> {
    const { answers, policy } = this.deps;
    const lapse = answerLapse(invoice, localDate(this.state.asOf, customer.timeZone), policy.answers);
    if (!lapse || !answers) return invoice;
    // Planned and rendered as the run would, with the answer's lapse written nowhere.
    if (this.state.dryRun) return settledInPlace(invoice, lapse, this.state.asOf.toISOString());
    const handOff = lapse.handOff
      ? { assignee: policy.collections.name, runId: this.state.runId }
      : undefined;
    const settled = await answers.settle(invoice, lapse.status, this.state.asOf.toISOString(), handOff);
    if (!settled) return (await this.deps.ledger.readInvoice(invoice.invoiceId)) ?? invoice;
    if (handOff) {
      const ref = {
        invoiceId: invoice.invoiceId,
        customerId: customer.customerId,
        outstanding: outstanding(settled),
        daysOverdue: daysOverdue(invoice.dueDate, this.state.asOf, customer.timeZone),
      };
      this.state.handOffs.push(ref);
      this.state.handOffNotes.set(ref.invoiceId, { ...ref, invoice: settled, customer });
    }
    // Told once: only the run whose write recorded the lapse gets here; a lost note is only a note.
    if (lapse.status === 'unmatched')
      await this.deps.mailer.send(unmatchedClaimNotice(settled, customer, policy)).catch(() => undefined);
    return settled;
  }

  /** Records the invoice-level verdicts: skips, and index moves for what is not due. */
  private async applyVerdicts(plan: CustomerPlan, customer: Customer): Promise<void> {
    const { ledger } = this.deps;
    for (const { invoice, verdict } of plan.verdicts) {
      if (verdict.kind === 'skip') {
        await this.skip(invoice, verdict.reason);
        if (verdict.leaveIndex && !this.state.dryRun) await ledger.reindex(invoice, undefined);
      } else if ((verdict.kind === 'closed' || verdict.kind === 'not_due') && !this.state.dryRun) {
        await ledger.reindex(invoice, this.next(invoice, customer));
      }
    }
  }

  private plannedLines(
    candidates: readonly Candidate[],
    customer: Customer,
    claims?: ReadonlyMap<string, LatePaymentClaim>,
  ): ReminderLine[] {
    return plannedLines(this.deps, candidates, customer, this.state.asOf, claims);
  }

  private preview(
    customer: Customer,
    composed: ComposedEmail,
    lines: readonly ReminderLine[],
    deferredUntil?: string,
  ): void {
    this.state.outgoing.push({
      customerId: customer.customerId,
      to: customer.email,
      subject: composed.email.subject,
      ...(deferredUntil ? { deferredUntil } : {}),
      ...(this.state.explain ? { rendering: composed } : {}),
      invoices: lineFigures(lines),
    });
  }

  /** Re-reads and claims one invoice's stage; the claimed invoice, or undefined when it must not go. */
  private async claim(line: ReminderLine, customer: Customer): Promise<Invoice | undefined> {
    const { ledger, hooks } = this.deps;
    const invoice = await ledger.readInvoice(line.invoice.invoiceId);
    if (!invoice) return undefined;
    await hooks?.afterReread?.(invoice);
    const verdict = assessInvoice(invoice, customer, this.context);
    if (verdict.kind !== 'due' || verdict.stage.name !== line.stage.name) {
      if (verdict.kind === 'skip') await this.skip(invoice, verdict.reason, line.stage.name);
      return undefined;
    }
    const [fresh] = this.plannedLines([{ invoice, stage: verdict.stage }], customer);
    const claim: StageClaim = {
      stage: verdict.stage.name,
      status: 'claimed',
      claimedAt: this.deps.clock().toISOString(),
      runId: this.state.runId,
      fee: fresh?.fee ?? 0,
      ...(line.latePayment ? { latePayment: claimedLatePayment(line.latePayment) } : {}),
    };
    const claimed = await ledger.claimStage(invoice, claim);
    if (claimed) return claimed;
    // Lost the conditional write: a payment or another run got there first. Say why, if it is ours to say.
    const now = await ledger.readInvoice(invoice.invoiceId);
    if (now) {
      const after = assessInvoice(now, customer, this.context);
      if (after.kind === 'skip') await this.skip(now, after.reason, line.stage.name);
    }
    return undefined;
  }

  private email(customer: Customer, lines: readonly ReminderLine[]): ComposedEmail {
    return reminderEmail(this.deps, customer, lines, this.state.asOf);
  }

  /** Takes the customer for this run; false when the run must leave them (each invoice's skip recorded). */
  private async claimCustomer(
    customer: Customer,
    candidates: readonly Candidate[],
  ): Promise<CustomerClaim | undefined> {
    const { ledger, policy } = this.deps;
    const at = this.state.asOf.toISOString();
    const boundary = gapBoundary(customer, this.state.asOf, policy.minimumGapDays).toISOString();
    const customerClaim = await ledger.claimCustomer(customer, at, boundary, this.state.runId);
    if (customerClaim) return customerClaim;
    // A concurrent run as of the same instant holds the customer: it sends and reports these.
    const holder = (await ledger.readCustomers([customer.customerId])).get(customer.customerId);
    if (holder?.lastReminderAt === at) return undefined;
    // The customer was paused, opted out or bounced after this run read them; otherwise another run
    // reminded this customer a moment ago, and the gap applies as to any reminder.
    const standing = holder && customerSkip(holder, localDate(this.state.asOf, holder.timeZone));
    for (const { invoice, stage } of candidates) await this.skip(invoice, standing ?? 'min_gap', stage.name);
    return undefined;
  }

  private async send(
    customer: Customer,
    candidates: readonly Candidate[],
    planned: readonly ReminderLine[],
    plannedEmail: OutgoingEmail,
  ): Promise<void> {
    const { ledger, mailer } = this.deps;
    const at = this.state.asOf.toISOString();
    const customerClaim = await this.claimCustomer(customer, candidates);
    if (!customerClaim) return;
    const claimed: { invoice: Invoice; stage: Stage }[] = [];
    let email: OutgoingEmail;
    let lines: ReminderLine[];
    try {
      for (const line of planned) {
        const invoice = await this.claim(line, customer);
        if (invoice) claimed.push({ invoice, stage: line.stage });
      }
      if (claimed.length === 0) {
        await ledger.releaseCustomer(customer, at, this.state.runId, customerClaim);
        return;
      }
      lines = this.plannedLines(claimed, customer);
      // What changed between the plan and the claims (an invoice gone, a payment) is rendered afresh.
      const unchanged =
        lines.length === planned.length &&
        lines.every((line, index) => lineFacts(line) === lineFacts(planned[index] as ReminderLine));
      email = unchanged ? plannedEmail : this.email(customer, lines).email;
    } catch (error) {
      // Nothing went out: what this attempt claimed is given back, so a later run can send it.
      await this.release(customer, claimed, customerClaim);
      throw error;
    }
    let messageId: string;
    try {
      ({ messageId } = await mailer.send(email));
    } catch (error) {
      await this.unsent(error, customer, claimed, customerClaim);
      return;
    }
    this.state.summary.emails += 1;
    this.count('sent', claimed);
    try {
      await this.deps.hooks?.afterSend?.(customer, messageId);
      await this.recordSent(customer, claimed, lines, messageId);
    } catch (error) {
      // It went out: counted as sent, and the record says which message, for the operator the claim
      // (left `claimed`, never resent) will call for.
      await this.recordFailure(
        customer,
        claimed.map(({ invoice, stage }) => ({ invoice, stage: stage.name })),
        `sent as message ${messageId} but not recorded: ${failureReason(error)}`,
        { counted: true },
      );
    }
  }

  /** Best effort: a store that failed the claim may fail the release too; the claims then age out as unknown. */
  private async release(
    customer: Customer,
    claimed: readonly { invoice: Invoice; stage: Stage }[],
    customerClaim: CustomerClaim,
  ): Promise<void> {
    const { ledger } = this.deps;
    try {
      for (const { invoice, stage } of claimed)
        await ledger.releaseClaim(invoice, invoice.claims[stage.name] as StageClaim);
      await ledger.releaseCustomer(customer, this.state.asOf.toISOString(), this.state.runId, customerClaim);
    } catch {
      // The original error is what the failure record names.
    }
  }

  private async recordSent(
    customer: Customer,
    claimed: readonly { invoice: Invoice; stage: Stage }[],
    lines: readonly ReminderLine[],
    messageId: string,
  ): Promise<void> {
    const { ledger, policy } = this.deps;
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
    const provablyUnsent = error instanceof PermanentSendError || error instanceof TransientSendError;
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
    if (provablyUnsent) {
      await ledger.releaseCustomer(customer, at, this.state.runId, customerClaim);
      await this.recordFailure(
        customer,
        claimed.map(({ invoice, stage }) => ({ invoice, stage: stage.name })),
        failureReason(error),
      );
    }
  }

  /** The customer could not be worked: every invoice not yet counted is failed, with the reason. */
  private async fail(invoices: readonly Invoice[], customer: Customer, error: unknown): Promise<void> {
    const left = invoices.filter((invoice) => !this.counted.has(invoice.invoiceId));
    await this.recordFailure(
      customer,
      left.map((invoice) => ({ invoice })),
      failureReason(error),
    );
  }

  /** `counted`: the invoices are in the summary already (sent), so the failure is recorded, not counted. */
  private async recordFailure(
    customer: Customer,
    failed: readonly { invoice: Invoice; stage?: string }[],
    reason: string,
    { counted = false } = {},
  ): Promise<void> {
    if (failed.length === 0) return;
    if (!counted) this.count('failed', failed);
    const failure: CustomerFailure = {
      runId: this.state.runId,
      customerId: customer.customerId,
      invoiceIds: failed.map(({ invoice }) => invoice.invoiceId),
      reason,
    };
    this.state.failures.push(failure);
    this.deps.events?.customerFailed(failure);
    if (this.state.dryRun) return;
    for (const { invoice, stage } of failed) {
      try {
        await this.deps.ledger.recordFailure({
          invoiceId: invoice.invoiceId,
          at: this.state.asOf.toISOString(),
          runId: this.state.runId,
          reason: failure.reason,
          ...(stage ? { stage } : {}),
        });
      } catch {
        // The store that failed the customer may refuse this too; the count and the log still say it.
      }
    }
  }
}

/** The customer's day for the digest and the summary. */
export const runDate = (asOf: Date, timeZone: string): string => localDate(asOf, timeZone);
