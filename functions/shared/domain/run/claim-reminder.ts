import { localDate } from '../calendar.ts';
import { claimedLatePayment } from '../interest/reminder-claim.ts';
import type { Customer, Invoice, StageClaim } from '../model.ts';
import type { Stage } from '../policy.ts';
import type { ReminderLine } from '../reminder/types.ts';
import { assessInvoice, customerSkip, gapBoundary } from './assess.ts';
import type { CustomerTally } from './customer-tally.ts';
import type { Candidate } from './plan.ts';
import type { CustomerClaim } from './ports.ts';
import { plannedLines } from './reminder-email.ts';

/** An invoice whose stage this run holds, with the stage it holds it for. */
export interface ClaimedStage {
  readonly invoice: Invoice;
  readonly stage: Stage;
}

/** Takes the customer for this run; undefined when the run must leave them (each invoice's skip recorded). */
export async function claimCustomer(
  tally: CustomerTally,
  customer: Customer,
  candidates: readonly Candidate[],
): Promise<CustomerClaim | undefined> {
  const { deps, state } = tally;
  const at = state.asOf.toISOString();
  const boundary = gapBoundary(customer, state.asOf, deps.policy.minimumGapDays).toISOString();
  const customerClaim = await deps.ledger.claimCustomer(customer, at, boundary, state.runId);
  if (customerClaim) return customerClaim;
  // A concurrent run as of the same instant holds the customer: it sends and reports these.
  const holder = (await deps.ledger.readCustomers([customer.customerId])).get(customer.customerId);
  if (holder?.lastReminderAt === at) return undefined;
  // The customer was paused, opted out or bounced after this run read them; otherwise another run
  // reminded this customer a moment ago, and the gap applies as to any reminder.
  const standing = holder && customerSkip(holder, localDate(state.asOf, holder.timeZone));
  for (const { invoice, stage } of candidates) await tally.skip(invoice, standing ?? 'min_gap', stage.name);
  return undefined;
}

/**
 * Claims one invoice's stage on the copy the run planned with (the due index's, or the item itself
 * once a dead claim or a lapsed answer was settled), without reading it again: the claim's condition
 * (this stage unclaimed, the invoice open, its `version` the one read) holds only if the item is still
 * that copy, since every write that changes an invoice moves its version on. When it changed (a
 * payment, an import, an index copy that lagged) the invoice is read and judged afresh, once.
 * The claimed invoice, or undefined when it must not go.
 */
export async function claimStage(
  tally: CustomerTally,
  line: ReminderLine,
  customer: Customer,
): Promise<Invoice | undefined> {
  const { ledger } = tally.deps;
  const planned = await claimAsRead(tally, line, customer, line.invoice);
  if (planned !== 'changed') return planned;
  const invoice = await ledger.readInvoice(line.invoice.invoiceId);
  if (!invoice) return undefined;
  const fresh = await claimAsRead(tally, line, customer, invoice);
  if (fresh !== 'changed') return fresh;
  // Lost the conditional write again: a payment or another run got there first. Say why, if it is ours to say.
  const now = await ledger.readInvoice(invoice.invoiceId);
  if (now) {
    const after = assessInvoice(now, customer, tally.context);
    if (after.kind === 'skip') await tally.skip(now, after.reason, line.stage.name);
  }
  return undefined;
}

/** Judges the invoice as read and claims the line's stage on it; `changed` when the item is no longer that copy. */
async function claimAsRead(
  tally: CustomerTally,
  line: ReminderLine,
  customer: Customer,
  invoice: Invoice,
): Promise<Invoice | undefined | 'changed'> {
  const { deps, state } = tally;
  await deps.hooks?.beforeClaim?.(invoice);
  const verdict = assessInvoice(invoice, customer, tally.context);
  if (verdict.kind !== 'due' || verdict.stage.name !== line.stage.name) {
    if (verdict.kind === 'skip') await tally.skip(invoice, verdict.reason, line.stage.name);
    return undefined;
  }
  const [fresh] = plannedLines(deps, [{ invoice, stage: verdict.stage }], customer, state.asOf);
  const claim: StageClaim = {
    stage: verdict.stage.name,
    status: 'claimed',
    claimedAt: deps.clock().toISOString(),
    runId: state.runId,
    fee: fresh?.fee ?? 0,
    ...(line.latePayment ? { latePayment: claimedLatePayment(line.latePayment) } : {}),
  };
  return (await deps.ledger.claimStage(invoice, claim)) ?? 'changed';
}

/** Best effort: a store that failed the claim may fail the release too; the claims then age out as unknown. */
export async function releaseClaims(
  tally: CustomerTally,
  customer: Customer,
  claimed: readonly ClaimedStage[],
  customerClaim: CustomerClaim,
): Promise<void> {
  const { deps, state } = tally;
  try {
    for (const { invoice, stage } of claimed)
      await deps.ledger.releaseClaim(invoice, invoice.claims[stage.name] as StageClaim);
    await deps.ledger.releaseCustomer(customer, state.asOf.toISOString(), state.runId, customerClaim);
  } catch {
    // The original error is what the failure record names.
  }
}
