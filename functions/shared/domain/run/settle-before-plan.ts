import { unmatchedClaimNotice } from '../answers/emails.ts';
import { answerLapse, settledInPlace } from '../answers/rules.ts';
import { daysOverdue, localDate } from '../calendar.ts';
import { type Customer, type Invoice, outstanding } from '../model.ts';
import { abandonedClaims } from './assess.ts';
import type { CustomerTally } from './customer-tally.ts';

/** Flags claims of dead runs `unknown` (never resent) and returns the invoice as it now stands. */
export async function settleAbandoned(
  tally: CustomerTally,
  indexed: Invoice,
  customer: Customer,
): Promise<Invoice> {
  const { deps, state } = tally;
  if (abandonedClaims(indexed, tally.context).length === 0) return indexed;
  // The index's copy may lag: a claim is only judged dead on the item itself.
  const invoice = (await deps.ledger.readInvoice(indexed.invoiceId)) ?? indexed;
  const abandoned = abandonedClaims(invoice, tally.context);
  if (abandoned.length === 0) return invoice;
  for (const claim of abandoned) {
    await tally.skip(invoice, 'unknown_outcome', claim.stage);
    if (!state.dryRun) {
      const settled = {
        ...invoice,
        claims: { ...invoice.claims, [claim.stage]: { ...claim, status: 'unknown' } },
      };
      await deps.ledger.markUnknown(invoice, claim, tally.next(settled as Invoice, customer));
    }
  }
  if (state.dryRun) return invoice;
  return (await deps.ledger.readInvoice(invoice.invoiceId)) ?? invoice;
}

/**
 * An answer whose days are over unpaid is recorded (broken promise, unmatched payment claim) before
 * the invoice is planned, so reminders resume in this very run, with wording that refers to it.
 * A broken promise may hand the invoice to a person at once; an unmatched claim is told to
 * collections. Both follow the won conditional write, so they happen once.
 */
export async function settleLapsedAnswer(
  tally: CustomerTally,
  invoice: Invoice,
  customer: Customer,
): Promise<Invoice> {
  const { deps, state } = tally;
  const { answers, policy } = deps;
  const lapse = answerLapse(invoice, localDate(state.asOf, customer.timeZone), policy.answers);
  if (!lapse || !answers) return invoice;
  // Planned and rendered as the run would, with the answer's lapse written nowhere.
  if (state.dryRun) return settledInPlace(invoice, lapse, state.asOf.toISOString());
  const handOff = lapse.handOff ? { assignee: policy.collections.name, runId: state.runId } : undefined;
  const settled = await answers.settle(invoice, lapse.status, state.asOf.toISOString(), handOff);
  if (!settled) return (await deps.ledger.readInvoice(invoice.invoiceId)) ?? invoice;
  if (handOff) {
    const ref = {
      invoiceId: invoice.invoiceId,
      customerId: customer.customerId,
      outstanding: outstanding(settled),
      daysOverdue: daysOverdue(invoice.dueDate, state.asOf, customer.timeZone),
    };
    state.handOffs.push(ref);
    state.handOffNotes.set(ref.invoiceId, { ...ref, invoice: settled, customer });
  }
  // Told once: only the run whose write recorded the lapse gets here; a lost note is only a note.
  if (lapse.status === 'unmatched')
    await deps.mailer.send(unmatchedClaimNotice(settled, customer, policy)).catch(() => undefined);
  return settled;
}
