import { DateTime } from 'luxon';
import { taskWindow } from '../../concurrency.ts';
import type { Customer, Invoice } from '../model.ts';
import { STALE_CLAIM_MS } from './assess.ts';
import { CustomerBlocks } from './customer-blocks.ts';
import type { RunDependencies } from './dependencies.ts';
import { plainDigest } from './digest.ts';
import { failureReason } from './failure.ts';
import { openingRunId, openingWork } from './opening-deferrals.ts';
import { CustomerPace } from './pace.ts';
import type {
  CustomerFailure,
  HandOffNote,
  PendingImport,
  RunCheckpoint,
  RunRecord,
  RunScope,
  RunStatus,
  RunTrigger,
} from './ports.ts';
import { CustomerReminder } from './remind-customer.ts';
import { type InvoiceSkip, type OutgoingPreview, type RunState, runDate } from './run-state.ts';
import { type QuotaWait, SendQuota } from './send-quota.ts';
import { emptySummary, type RunSummary, summaryDelta } from './summary.ts';

export interface RunRequest {
  readonly asOf: Date;
  readonly dryRun?: boolean;
  /** Milliseconds this invocation may still work; past zero the run checkpoints. Default: no limit. */
  readonly timeLeft?: () => number;
  /** What started it, for its run record; default `cli`. */
  readonly trigger?: RunTrigger;
}

export interface RunOutcome {
  readonly runId: string;
  readonly summary: RunSummary;
  /** False when the run saved a checkpoint and continues in a fresh invocation. */
  readonly done: boolean;
  /** What a dry run would send; empty otherwise. */
  readonly outgoing: readonly OutgoingPreview[];
  /** Customers this invocation could not work, each with its reason. */
  readonly failures: readonly CustomerFailure[];
  /** A repeated delivery of an invocation another one works (or worked): it did nothing. */
  readonly duplicate?: boolean;
  /** What this invocation did: `summary` less what earlier parts of the run had done. */
  readonly part: RunSummary;
  /** Committed imports the run could not complete before it started; it ran on the store as it was. */
  readonly pendingImports: readonly PendingImport[];
  /** Every invoice a preview's dry run left without a reminder, with the run's reason. */
  readonly skips?: readonly InvoiceSkip[];
}

const unlimited = () => Number.POSITIVE_INFINITY;

/**
 * The dunning run: reads what the due index says is due, works each customer once (one email with
 * every due invoice), as many at once as the send quota can serve and never sending faster than it,
 * and checkpoints, once the customers in flight are done, when its invocation runs short.
 * Every run that writes leaves a run record; taking it is what keeps a repeated delivery out.
 */
export class DunningRun {
  constructor(private readonly deps: RunDependencies) {}

  /** A daily (or `dunning run`) run over every due invoice. */
  async run(request: RunRequest): Promise<RunOutcome> {
    return this.start({ kind: 'all' }, request, this.deps.newRunId(), true);
  }

  /** The run for one customer whose reminders were deferred to their business hours. */
  async runDeferred(customerId: string, parentRunId: string, request: RunRequest): Promise<RunOutcome> {
    // Derived, so a retried invocation of the same deferral recognises its own claims as abandoned,
    // and a repeated delivery of it finds the run record taken.
    return this.start(
      { kind: 'customer', customerId },
      { trigger: 'deferred', ...request },
      `${parentRunId}/${customerId}`,
      false,
    );
  }

  /**
   * Every customer waiting for the opening at `at` (or an earlier one that was missed), in one run
   * that checkpoints like any: what the opening's one schedule invokes.
   */
  async runOpening(at: Date, request: RunRequest): Promise<RunOutcome> {
    // Derived from the instant, so a retried invocation of the same opening recognises its own claims.
    // A repeated delivery of the schedule's invocation finds the run record taken.
    return this.start(
      { kind: 'opening', at: at.toISOString() },
      { trigger: 'opening', ...request },
      openingRunId(at),
      false,
    );
  }

  /**
   * What one customer would get in a run as of `asOf`: the run's own plan and rendering for them
   * alone, as a dry run (nothing claimed, sent or written), keeping the email and every skip.
   */
  async preview(customerId: string, asOf: Date): Promise<RunOutcome> {
    return this.start({ kind: 'customer', customerId }, { asOf, dryRun: true }, this.deps.newRunId(), true, {
      skips: [],
    });
  }

  /** Continues a checkpointed run in a fresh invocation. */
  async resume(runId: string, timeLeft: () => number = unlimited): Promise<RunOutcome> {
    const checkpoint = await this.deps.checkpoints.load(runId);
    if (!checkpoint) throw new Error(`no checkpoint for run ${runId}`);
    const state: RunState = {
      runId,
      asOf: new Date(checkpoint.asOf),
      startedAt: new Date(checkpoint.startedAt),
      dryRun: false,
      summary: structuredClone(checkpoint.summary),
      before: checkpoint.summary,
      handOffs: [...checkpoint.handOffs],
      handOffNotes: new Map(),
      soleHolder: false,
      outgoing: [],
      failures: [],
      pendingImports: [],
    };
    return this.journaled(state, checkpoint.scope, 'continue', () =>
      this.proceed(state, checkpoint.scope, checkpoint.cursor, timeLeft),
    );
  }

  private async start(
    scope: RunScope,
    request: RunRequest,
    runId: string,
    freshId: boolean,
    explain?: RunState['explain'],
  ): Promise<RunOutcome> {
    const dryRun = request.dryRun ?? false;
    const pendingImports = dryRun ? [] : await this.completeImports();
    const asOfText =
      DateTime.fromJSDate(request.asOf, { zone: this.deps.deploymentTimeZone }).toISO() ??
      request.asOf.toISOString();
    const state: RunState = {
      runId,
      asOf: request.asOf,
      startedAt: this.deps.clock(),
      dryRun,
      summary: emptySummary(asOfText, dryRun),
      before: emptySummary(asOfText, dryRun),
      handOffs: [],
      handOffNotes: new Map(),
      soleHolder: freshId,
      outgoing: [],
      failures: [],
      pendingImports,
      ...(explain ? { explain } : {}),
    };
    const timeLeft = dryRun ? unlimited : (request.timeLeft ?? unlimited);
    const work = () => this.proceed(state, scope, undefined, timeLeft);
    // A dry run writes nothing, its record included.
    return dryRun ? work() : this.journaled(state, scope, request.trigger ?? 'cli', work);
  }

  /** Imports committed but not applied are completed first; one that cannot be never stops the run. */
  private async completeImports(): Promise<readonly PendingImport[]> {
    let pending: readonly PendingImport[];
    try {
      pending = (await this.deps.beforeRun?.()) ?? [];
    } catch (error) {
      pending = [{ reason: failureReason(error) }];
    }
    if (pending.length > 0) this.deps.events?.importsPending?.(pending);
    return pending;
  }

  private record(state: RunState, scope: RunScope, trigger: RunTrigger, status: RunStatus): RunRecord {
    return {
      runId: state.runId,
      trigger,
      scope,
      asOf: state.asOf.toISOString(),
      startedAt: state.startedAt.toISOString(),
      status,
      summary: state.summary,
    };
  }

  /** Takes the run record for this invocation, works, and leaves the record with the outcome. */
  private async journaled(
    state: RunState,
    scope: RunScope,
    trigger: RunTrigger,
    work: () => Promise<RunOutcome>,
  ): Promise<RunOutcome> {
    const { journal, clock } = this.deps;
    // Held as long as a claim stays live: no invocation outlives it (Lambda's 15 minutes).
    const holdMs = this.deps.staleClaimMs ?? STALE_CLAIM_MS;
    const taken = await journal.begin({
      ...this.record(state, scope, trigger, 'running'),
      leaseUntil: new Date(clock().getTime() + holdMs).toISOString(),
    });
    if (!taken) return { ...this.outcome(state, true), duplicate: true };
    let outcome: RunOutcome;
    try {
      outcome = await work();
    } catch (error) {
      const failed = { ...this.record(state, scope, trigger, 'failed'), error: failureReason(error) };
      await journal.end({ ...failed, finishedAt: clock().toISOString() }).catch(() => undefined);
      throw error;
    }
    const status = outcome.done ? 'done' : 'continuing';
    await journal.end({
      ...this.record(state, scope, trigger, status),
      ...(outcome.done ? { finishedAt: clock().toISOString() } : {}),
    });
    return outcome;
  }

  /** The invoices the run works, and what to do once a customer is done (an opening's waiting list). */
  private async workOf(
    scope: RunScope,
    asOf: Date,
  ): Promise<{ invoices: Invoice[]; finish?: (customerId: string) => Promise<void> }> {
    const { ledger, deferrals } = this.deps;
    if (scope.kind === 'all') return { invoices: await ledger.dueInvoices(asOf) };
    if (scope.kind === 'customer')
      return { invoices: await ledger.customerDueInvoices(scope.customerId, asOf) };
    if (!deferrals) throw new Error('an opening run needs the deferral book');
    return openingWork(deferrals, ledger, new Date(scope.at), asOf);
  }

  private async proceed(
    state: RunState,
    scope: RunScope,
    cursor: string | undefined,
    timeLeft: () => number,
  ): Promise<RunOutcome> {
    const byCustomer = new Map<string, Invoice[]>();
    const failedBefore = new Set<string>();
    const work = await this.workOf(scope, state.asOf);
    for (const invoice of work.invoices) {
      const list = byCustomer.get(invoice.customerId) ?? [];
      list.push(invoice);
      byCustomer.set(invoice.customerId, list);
      // A customer an earlier run (or attempt) could not work comes last, so they cannot hold up the rest.
      if (invoice.lastFailedAt !== undefined && Date.parse(invoice.lastFailedAt) < state.startedAt.getTime())
        failedBefore.add(invoice.customerId);
    }
    const order = (customerId: string) => `${failedBefore.has(customerId) ? 1 : 0}#${customerId}`;
    // A checkpoint saved before this order existed holds a bare customer id.
    const after = cursor === undefined || /^[01]#/.test(cursor) ? cursor : `0#${cursor}`;
    const customerIds = [...byCustomer.keys()]
      .filter((customerId) => after === undefined || order(customerId) > after)
      .sort((a, b) => order(a).localeCompare(order(b)));
    const sending = await this.sending(state.dryRun);
    const pool = taskWindow(() => this.deps.concurrency ?? sending.pace.inFlight());
    const customers = new CustomerBlocks(this.deps.ledger, customerIds);
    let done = after;
    for (const [index, customerId] of customerIds.entries()) {
      if (timeLeft() <= 0) {
        // Every customer launched is finished before the cursor moves past them.
        await pool.drain();
        await this.checkpoint(state, scope, done);
        return this.outcome(state, false);
      }
      const customer = await customers.at(index);
      const invoices = (byCustomer.get(customerId) ?? []).sort((a, b) =>
        a.invoiceId.localeCompare(b.invoiceId),
      );
      await pool.add(async () => {
        if (customer) await this.remindTimed(state, sending, invoices, customer);
        if (!state.dryRun) await work.finish?.(customerId);
      });
      done = order(customerId);
    }
    await pool.drain();
    if (!state.dryRun) await this.sendDigest(state);
    return this.outcome(state, true);
  }

  /** The account's quota, read once per invocation, and the pace it sets for the pool; a dry run sends nothing. */
  private async sending(dryRun: boolean): Promise<{ pace: CustomerPace; quota?: SendQuota }> {
    const rate = dryRun ? undefined : await this.deps.mailer.sendRate?.();
    if (rate === undefined) return { pace: new CustomerPace(undefined) };
    return { pace: new CustomerPace(rate), quota: new SendQuota(rate) };
  }

  /** Works one customer, their sends under the quota, and times them for the pool's width. */
  private async remindTimed(
    state: RunState,
    sending: { pace: CustomerPace; quota?: SendQuota },
    invoices: readonly Invoice[],
    customer: Customer,
  ): Promise<void> {
    const started = performance.now();
    const wait: QuotaWait = { ms: 0 };
    const deps = sending.quota
      ? { ...this.deps, mailer: sending.quota.paced(this.deps.mailer, wait) }
      : this.deps;
    await new CustomerReminder(deps, state).remind(invoices, customer);
    sending.pace.observe((performance.now() - started) / 1000, wait.ms / 1000);
  }

  private outcome(state: RunState, done: boolean): RunOutcome {
    const { runId, summary, outgoing, failures, pendingImports, explain } = state;
    return {
      runId,
      summary,
      done,
      outgoing,
      failures,
      pendingImports,
      part: summaryDelta(summary, state.before),
      ...(explain ? { skips: explain.skips } : {}),
    };
  }

  private async checkpoint(state: RunState, scope: RunScope, cursor: string | undefined): Promise<void> {
    state.soleHolder = false;
    const checkpoint: RunCheckpoint = {
      runId: state.runId,
      scope,
      asOf: state.asOf.toISOString(),
      startedAt: state.startedAt.toISOString(),
      ...(cursor !== undefined ? { cursor } : {}),
      summary: state.summary,
      handOffs: state.handOffs,
    };
    await this.deps.checkpoints.save(checkpoint);
    await this.deps.continueLater?.(state.runId, cursor);
  }

  /** One email to the collections contact listing this run's hand-offs, at most once per run. */
  private async sendDigest(state: RunState): Promise<void> {
    if (state.handOffs.length === 0) return;
    const { ledger, mailer, policy } = this.deps;
    // A retried or resumed invocation of this run could send it again: the claim lets one through. A
    // run whose id was minted here and never checkpointed has no other invocation to race.
    if (!state.soleHolder && !(await ledger.claimDigest(state.runId))) return;
    const handOffs = await this.handOffNotes(state);
    const render = this.deps.renderDigest ?? plainDigest;
    const digest = render({
      handOffs,
      policy,
      date: runDate(state.asOf, this.deps.deploymentTimeZone),
    });
    await mailer.send({ to: policy.collections.email, fromName: policy.company.name, ...digest });
  }

  /** The hand-offs with their invoices and customers: those of earlier parts of the run are read again. */
  private async handOffNotes(state: RunState): Promise<HandOffNote[]> {
    const { ledger } = this.deps;
    const earlier = state.handOffs.filter((ref) => !state.handOffNotes.has(ref.invoiceId));
    const [invoices, customers] = earlier.length
      ? await Promise.all([
          ledger.readInvoices(earlier.map((ref) => ref.invoiceId)),
          ledger.readCustomers([...new Set(earlier.map((ref) => ref.customerId))]),
        ])
      : [[], new Map<string, Customer>()];
    const byId = new Map(invoices.map((invoice) => [invoice.invoiceId, invoice]));
    return state.handOffs.flatMap(({ invoiceId, customerId, outstanding, daysOverdue }) => {
      const held = state.handOffNotes.get(invoiceId);
      if (held) return [held];
      const invoice = byId.get(invoiceId);
      const customer = customers.get(customerId);
      return invoice && customer ? [{ invoice, customer, outstanding, daysOverdue }] : [];
    });
  }
}
