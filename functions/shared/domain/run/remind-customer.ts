import { closedDaysFor } from '../holidays.ts';
import type { LatePaymentClaim } from '../interest/claim.ts';
import type { Customer, Invoice } from '../model.ts';
import type { ReminderLine } from '../reminder/types.ts';
import { CustomerTally } from './customer-tally.ts';
import type { RunDependencies } from './dependencies.ts';
import { failureReason } from './failure.ts';
import { type Candidate, type CustomerPlan, planCustomer } from './plan.ts';
import {
  type ComposedEmail,
  latePaymentClaims,
  lineFigures,
  plannedLines,
  reminderEmail,
} from './reminder-email.ts';
import type { RunState } from './run-state.ts';
import { sendReminder } from './send-reminder.ts';
import { settleAbandoned, settleLapsedAnswer } from './settle-before-plan.ts';

/**
 * Works one customer's due invoices in a run, in three steps: decide (settle dead claims and lapsed
 * answers, then a pure plan: skips, index repairs, the minimum gap, business hours), render the email
 * the plan sends, and only then the at-most-once send (send-reminder.ts). Whatever goes wrong for
 * this customer is recorded on their invoices and counted as failed; it never reaches the rest of
 * the run.
 */
export class CustomerReminder {
  private readonly tally: CustomerTally;

  constructor(
    private readonly deps: RunDependencies,
    private readonly state: RunState,
  ) {
    this.tally = new CustomerTally(deps, state);
  }

  /** Works the customer; any error is theirs alone: recorded, counted as failed, never rethrown. */
  async remind(invoices: readonly Invoice[], customer: Customer): Promise<void> {
    this.state.summary.considered += invoices.length;
    try {
      await this.work(invoices, customer);
    } catch (error) {
      await this.tally.failUncounted(invoices, customer, failureReason(error));
    }
  }

  private async work(invoices: readonly Invoice[], customer: Customer): Promise<void> {
    const { tally } = this;
    const settled: Invoice[] = [];
    for (const read of invoices)
      settled.push(await settleLapsedAnswer(tally, await settleAbandoned(tally, read, customer), customer));
    const sendAt = tally.sendInstant();
    const plan = planCustomer(settled, customer, {
      ...tally.context,
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
        for (const { invoice, stage } of action.candidates) await tally.skip(invoice, 'min_gap', stage.name);
        return;
      case 'defer': {
        // Rendered now, so a customer whose email cannot be rendered fails today, not at their opening.
        const lines = this.plannedLines(action.candidates, customer, claims);
        const email = this.email(customer, lines);
        tally.count('deferred', action.candidates);
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
          tally.count('sent', action.candidates);
          this.state.summary.emails += 1;
          return;
        }
        await sendReminder(tally, customer, action.candidates, lines, email.email);
      }
    }
  }

  /** Records the invoice-level verdicts: skips, and index moves for what is not due. */
  private async applyVerdicts(plan: CustomerPlan, customer: Customer): Promise<void> {
    const { ledger } = this.deps;
    for (const { invoice, verdict } of plan.verdicts) {
      if (verdict.kind === 'skip') {
        await this.tally.skip(invoice, verdict.reason);
        if (verdict.leaveIndex && !this.state.dryRun) await ledger.reindex(invoice, undefined);
      } else if ((verdict.kind === 'closed' || verdict.kind === 'not_due') && !this.state.dryRun) {
        await ledger.reindex(invoice, this.tally.next(invoice, customer));
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

  private email(customer: Customer, lines: readonly ReminderLine[]): ComposedEmail {
    return reminderEmail(this.deps, customer, lines, this.state.asOf);
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
}
