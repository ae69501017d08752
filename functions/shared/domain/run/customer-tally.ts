import type { Customer, Invoice } from '../model.ts';
import { nextActionAt } from '../schedule.ts';
import { type AssessContext, STALE_CLAIM_MS } from './assess.ts';
import type { RunDependencies } from './dependencies.ts';
import type { CustomerFailure } from './ports.ts';
import type { RunState } from './run-state.ts';
import { countSkip } from './summary.ts';

/**
 * One customer's part of a run: the run's facts as this customer's invoices are judged against them,
 * and the bookkeeping of what became of each invoice (skipped, sent, deferred, failed), so that every
 * invoice is counted once and a failure of the customer counts only what nothing else has.
 */
export class CustomerTally {
  /** Invoices of this customer already counted (sent, deferred, skipped, failed) in the summary. */
  private readonly counted = new Set<string>();

  constructor(
    readonly deps: RunDependencies,
    readonly state: RunState,
  ) {}

  get context(): AssessContext {
    return {
      policy: this.deps.policy,
      asOf: this.state.asOf,
      now: this.deps.clock(),
      runId: this.state.runId,
      staleClaimMs: this.deps.staleClaimMs ?? STALE_CLAIM_MS,
    };
  }

  /** The run's "now" for business hours: `asOf` moved on by the real time the run has taken so far. */
  sendInstant(): Date {
    return new Date(
      this.state.asOf.getTime() + (this.deps.clock().getTime() - this.state.startedAt.getTime()),
    );
  }

  next(invoice: Invoice, customer: Customer): Date | undefined {
    return nextActionAt(invoice, customer.timeZone, this.deps.policy);
  }

  async skip(invoice: Invoice, reason: string, stage?: string): Promise<void> {
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

  count(field: 'sent' | 'deferred' | 'failed', invoices: readonly { invoice: Invoice }[]): void {
    this.state.summary[field] += invoices.length;
    for (const { invoice } of invoices) this.counted.add(invoice.invoiceId);
  }

  /** The customer could not be worked: every invoice not yet counted is failed, with the reason. */
  async failUncounted(invoices: readonly Invoice[], customer: Customer, reason: string): Promise<void> {
    const left = invoices.filter((invoice) => !this.counted.has(invoice.invoiceId));
    await this.recordFailure(
      customer,
      left.map((invoice) => ({ invoice })),
      reason,
    );
  }

  /** `counted`: the invoices are in the summary already (sent), so the failure is recorded, not counted. */
  async recordFailure(
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
