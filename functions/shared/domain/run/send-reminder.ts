import type { Customer } from '../model.ts';
import type { OutgoingEmail } from '../ports.ts';
import type { ReminderLine } from '../reminder/types.ts';
import { type ClaimedStage, claimCustomer, claimStage, releaseClaims } from './claim-reminder.ts';
import type { CustomerTally } from './customer-tally.ts';
import { failureReason } from './failure.ts';
import type { Candidate } from './plan.ts';
import { plannedLines, reminderEmail } from './reminder-email.ts';
import { recordSent, recordUnsent } from './send-outcome.ts';

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
 * The at-most-once send of one customer's reminder: claim the customer, claim each invoice's stage
 * (conditioned on the invoice being as planned), send ONE email with every claimed invoice, record
 * the message id.
 */
export async function sendReminder(
  tally: CustomerTally,
  customer: Customer,
  candidates: readonly Candidate[],
  planned: readonly ReminderLine[],
  plannedEmail: OutgoingEmail,
): Promise<void> {
  const { deps, state } = tally;
  const customerClaim = await claimCustomer(tally, customer, candidates);
  if (!customerClaim) return;
  const claimed: ClaimedStage[] = [];
  let email: OutgoingEmail;
  let lines: ReminderLine[];
  try {
    for (const line of planned) {
      const invoice = await claimStage(tally, line, customer);
      if (invoice) claimed.push({ invoice, stage: line.stage });
    }
    if (claimed.length === 0) {
      await deps.ledger.releaseCustomer(customer, state.asOf.toISOString(), state.runId, customerClaim);
      return;
    }
    // Each line states the statutory interest its stage claim recorded (and the ledger charges).
    const stated = new Map(
      planned.flatMap(({ invoice, latePayment }) => (latePayment ? [[invoice.invoiceId, latePayment]] : [])),
    );
    lines = plannedLines(deps, claimed, customer, state.asOf, stated);
    // What changed between the plan and the claims (an invoice gone, a payment) is rendered afresh.
    const unchanged =
      lines.length === planned.length &&
      lines.every((line, index) => lineFacts(line) === lineFacts(planned[index] as ReminderLine));
    email = unchanged ? plannedEmail : reminderEmail(deps, customer, lines, state.asOf).email;
  } catch (error) {
    // Nothing went out: what this attempt claimed is given back, so a later run can send it.
    await releaseClaims(tally, customer, claimed, customerClaim);
    throw error;
  }
  let messageId: string;
  try {
    ({ messageId } = await deps.mailer.send(email));
  } catch (error) {
    await recordUnsent(tally, error, customer, claimed, customerClaim);
    return;
  }
  state.summary.emails += 1;
  tally.count('sent', claimed);
  try {
    await deps.hooks?.afterSend?.(customer, messageId);
    await recordSent(tally, customer, claimed, lines, messageId);
  } catch (error) {
    // It went out: counted as sent, and the record says which message, for the operator the claim
    // (left `claimed`, never resent) will call for.
    await tally.recordFailure(
      customer,
      claimed.map(({ invoice, stage }) => ({ invoice, stage: stage.name })),
      `sent as message ${messageId} but not recorded: ${failureReason(error)}`,
      { counted: true },
    );
  }
}
