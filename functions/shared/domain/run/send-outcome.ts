import { type Customer, type Invoice, outstanding, type StageClaim } from '../model.ts';
import type { ReminderLine } from '../reminder/types.ts';
import type { ClaimedStage } from './claim-reminder.ts';
import type { CustomerTally } from './customer-tally.ts';
import { failureReason } from './failure.ts';
import type { CustomerClaim } from './ports.ts';
import { PermanentSendError, TransientSendError } from './send-errors.ts';

/** The email went out as `messageId`: each claimed stage is recorded sent, a hand-off opens a call task. */
export async function recordSent(
  tally: CustomerTally,
  customer: Customer,
  claimed: readonly ClaimedStage[],
  lines: readonly ReminderLine[],
  messageId: string,
): Promise<void> {
  const { deps, state } = tally;
  const sentAt = deps.clock().toISOString();
  for (const [index, { invoice, stage }] of claimed.entries()) {
    const handedOff = stage.handOff;
    const after = { ...invoice, status: handedOff ? ('handed_off' as const) : invoice.status };
    const fee = invoice.claims[stage.name]?.fee ?? 0;
    await deps.ledger.recordSent(invoice, {
      stage: stage.name,
      runId: state.runId,
      sentAt,
      messageId,
      fee,
      customerId: customer.customerId,
      nextActionAt: tally.next(after, customer),
      ...(handedOff
        ? {
            callTask: {
              createdAt: sentAt,
              stage: stage.name,
              runId: state.runId,
              status: 'open',
              assignee: deps.policy.collections.name,
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
      state.handOffs.push(ref);
      const { outstanding: owed, daysOverdue } = ref;
      state.handOffNotes.set(ref.invoiceId, {
        invoice: after,
        customer,
        outstanding: owed,
        daysOverdue,
      });
    }
  }
}

/**
 * The email did not (provably) go: failed for good, to be retried, or unknown. Only a provable
 * non-send gives the customer back; an unknown outcome keeps every claim, so nothing is resent.
 */
export async function recordUnsent(
  tally: CustomerTally,
  error: unknown,
  customer: Customer,
  claimed: readonly ClaimedStage[],
  customerClaim: CustomerClaim,
): Promise<void> {
  const { deps, state } = tally;
  const { ledger } = deps;
  const at = state.asOf.toISOString();
  const provablyUnsent = error instanceof PermanentSendError || error instanceof TransientSendError;
  for (const { invoice, stage } of claimed) {
    const claim = invoice.claims[stage.name] as StageClaim;
    if (error instanceof PermanentSendError) {
      const over = {
        ...invoice,
        claims: { ...invoice.claims, [stage.name]: { ...claim, status: 'failed' } },
      };
      await ledger.recordFailed(invoice, claim, tally.next(over as Invoice, customer));
    } else if (error instanceof TransientSendError) {
      await ledger.releaseClaim(invoice, claim);
    } else {
      await tally.skip(invoice, 'unknown_outcome', stage.name);
      await ledger.markUnknown(invoice, claim, tally.next(invoice, customer));
    }
  }
  if (provablyUnsent) {
    await ledger.releaseCustomer(customer, at, state.runId, customerClaim);
    await tally.recordFailure(
      customer,
      claimed.map(({ invoice, stage }) => ({ invoice, stage: stage.name })),
      failureReason(error),
    );
  }
}
