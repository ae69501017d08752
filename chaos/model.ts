import {
  FLAG_AMOUNT_INEXACT,
  FLAG_CURRENCY_MISMATCH,
  FLAG_REFUND_EXCEEDS_PAYMENT,
  FLAG_TOO_MANY_PAYMENTS,
} from '../functions/shared/domain/payments/event.ts';
import type { ShowDocument } from '../functions/shared/domain/run/audit.ts';
import { SKIP_REASONS } from '../functions/shared/domain/run/skip-reasons.ts';
import type { SentEmail } from '../test/support/emulators.ts';

/**
 * The simple model the product is checked against after every step: what was imported, which
 * webhook deliveries were answered 2xx and whether each should count. Everything else (fees,
 * stages, business hours) is the product's to decide; the model only states what must hold.
 */

export interface ModelInvoice {
  readonly invoiceId: string;
  readonly invoiceNumber: string;
  readonly customerId: string;
  amountDue: number;
  paidAtImport: number;
  dueDate: string;
  imported: boolean;
  /** Disputed by an operator (`dunning dispute`): no reminder until undisputed. */
  disputed?: boolean;
}

export interface ModelCustomer {
  readonly customerId: string;
  name: string;
  /** Paused (`dunning pause --until`): no reminder before this ISO date. */
  pausedUntil?: string;
}

export interface ModelPayment {
  readonly eventId: string;
  readonly invoiceId: string;
  readonly kind: 'payment' | 'refund';
  readonly amount: number;
  /** Whether it must count towards what is owed (a duplicate settlement or another currency never does). */
  readonly counts: boolean;
  /** The provider's payment reference: a second event naming it is the same money. */
  readonly settlement?: string;
}

export interface Delivery {
  readonly path: string;
  readonly body: string;
  readonly headers: Record<string, string>;
  readonly payment: ModelPayment;
}

export interface Model {
  readonly trial: string;
  /** Whether the trial's clients fail at injected points (then a run may fail a customer, cleanly). */
  readonly faulty: boolean;
  readonly invoices: ModelInvoice[];
  readonly customers: ModelCustomer[];
  readonly payments: ModelPayment[];
  lastDelivery?: Delivery;
  asOf: Date;
  /** Emails an invoice had when the model last saw it fully paid: none may follow while it stays paid. */
  readonly paidAt: Map<string, number>;
}

export class InvariantViolation extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvariantViolation';
  }
}

const violated = (message: string): never => {
  throw new InvariantViolation(message);
};

/** `number|stage|...` lines of the fact renderer, for this trial's invoices only. */
export const sentPairs = (emails: readonly SentEmail[], trial: string): Map<string, number> => {
  const pairs = new Map<string, number>();
  for (const email of emails) {
    for (const line of (email.body.text ?? '').split('\n')) {
      const [number, stage] = line.split('|');
      if (!number?.startsWith(`${trial}-`) || !stage) continue;
      const key = `${number}|${stage}`;
      pairs.set(key, (pairs.get(key) ?? 0) + 1);
    }
  }
  return pairs;
};

/**
 * A payment flag holds the invoice back while it is set; a later event (the payment a refund was
 * waiting for) can clear it, so a skip recorded under it then stays true of that moment.
 */
const PAYMENT_FLAGS: readonly string[] = [
  FLAG_AMOUNT_INEXACT,
  FLAG_CURRENCY_MISMATCH,
  FLAG_REFUND_EXCEEDS_PAYMENT,
  FLAG_TOO_MANY_PAYMENTS,
];

/**
 * What an injected fault looks like once the run has written it down (`failureReason`: the error's
 * name and message): the same causes `steps.ts` accepts as a clean failure of a whole step.
 */
const INJECTED_CAUSE =
  /^(ThrottlingException|TooManyRequestsException|TimeoutError|ConditionalCheckFailedException|TransientSendError)\b|throttl|timeout|reset|socket hang up|unavailable/i;

/**
 * A `failed` record is the run's note that it could not work the customer (one failing customer
 * never stops the run): acceptable only where a fault was injected and its detail names it.
 */
const knownSkip = (skip: { reason: string; detail?: string }, document: ShowDocument, faulty: boolean) =>
  skip.reason === 'failed'
    ? faulty && INJECTED_CAUSE.test(skip.detail ?? '')
    : skip.reason.length > 0 &&
      ((SKIP_REASONS as readonly string[]).includes(skip.reason) ||
        PAYMENT_FLAGS.includes(skip.reason) ||
        document.invoice.flags.includes(skip.reason));

/**
 * After a run: no email went out for an invoice the model holds back (disputed, or its customer
 * paused on the run's day), however the run found it.
 */
export const checkHeldBack = (
  model: Model,
  before: Map<string, number>,
  after: Map<string, number>,
  asOfDate: string,
) => {
  for (const [pair, count] of after) {
    if (count <= (before.get(pair) ?? 0)) continue;
    const invoice = model.invoices.find((candidate) => pair.startsWith(`${candidate.invoiceNumber}|`));
    if (!invoice) continue;
    const customer = model.customers.find((candidate) => candidate.customerId === invoice.customerId);
    if (invoice.disputed) violated(`${invoice.invoiceId}: reminded while disputed (${pair})`);
    if (customer?.pausedUntil && asOfDate < customer.pausedUntil)
      violated(
        `${invoice.invoiceId}: reminded on ${asOfDate} while paused until ${customer.pausedUntil} (${pair})`,
      );
  }
};

/** Minor units the model says were received through webhooks for the invoice (refunds subtract). */
export const receivedFor = (model: Model, invoiceId: string): number =>
  model.payments
    .filter((payment) => payment.invoiceId === invoiceId && payment.counts)
    .reduce((sum, payment) => sum + (payment.kind === 'payment' ? payment.amount : -payment.amount), 0);

export interface Observed {
  readonly documents: ReadonlyMap<string, ShowDocument | undefined>;
  readonly emails: readonly SentEmail[];
}

/**
 * Every invariant, on one snapshot of the store and the mailbox. Throws InvariantViolation naming
 * the invoice and what differs.
 */
export const checkInvariants = (model: Model, observed: Observed): void => {
  const pairs = sentPairs(observed.emails, model.trial);
  for (const [pair, count] of pairs)
    if (count > 1) violated(`${pair}: ${count} emails for one invoice and stage`);

  for (const invoice of model.invoices) {
    if (!invoice.imported) continue;
    const document = observed.documents.get(invoice.invoiceId);
    if (!document) throw new InvariantViolation(`${invoice.invoiceId}: imported but not in the store`);
    const where = `${invoice.invoiceId}`;

    if (document.invoice.amountDue !== invoice.amountDue)
      violated(`${where}: amountDue ${document.invoice.amountDue}, imported ${invoice.amountDue}`);

    // Every delivery answered 2xx is in `show`, applied exactly when it must count.
    for (const payment of model.payments.filter((candidate) => candidate.invoiceId === invoice.invoiceId)) {
      const shown = document.payments.filter((candidate) => candidate.paymentId === payment.eventId);
      if (shown.length !== 1) violated(`${where}: event ${payment.eventId} shown ${shown.length} times`);
      if (shown[0]?.applied !== payment.counts)
        violated(
          `${where}: event ${payment.eventId} applied=${shown[0]?.applied}, expected ${payment.counts}`,
        );
    }

    // What is outstanding is what was due, less what was paid at import and since, plus refunds.
    const received = receivedFor(model, invoice.invoiceId);
    const expectedPaid = invoice.paidAtImport + received;
    if (document.invoice.amountPaid !== expectedPaid)
      violated(`${where}: amountPaid ${document.invoice.amountPaid}, expected ${expectedPaid}`);
    const fees = document.invoice.feesCharged;
    const expectedOutstanding = Math.max(0, invoice.amountDue + fees - expectedPaid);
    if (document.invoice.outstanding !== expectedOutstanding)
      violated(`${where}: outstanding ${document.invoice.outstanding}, expected ${expectedOutstanding}`);

    // Each email is backed by a claim; each claim recorded as sent by exactly one email.
    const stagesMailed = [...pairs.keys()]
      .filter((pair) => pair.startsWith(`${invoice.invoiceNumber}|`))
      .map((pair) => pair.split('|')[1] as string);
    for (const stage of stagesMailed) {
      const reminder = document.reminders.find((candidate) => candidate.stage === stage);
      if (!reminder || reminder.status === 'failed')
        violated(`${where}: an email for stage ${stage} without a claim (${reminder?.status ?? 'none'})`);
    }
    for (const reminder of document.reminders)
      if (reminder.status === 'sent' && !stagesMailed.includes(reminder.stage))
        violated(`${where}: stage ${reminder.stage} recorded sent but no email carries it`);

    // No reminder once fully paid, for as long as it stays paid.
    if (expectedOutstanding === 0) {
      const before = model.paidAt.get(invoice.invoiceId);
      if (before !== undefined && stagesMailed.length > before)
        violated(`${where}: reminded after its full payment was recorded`);
      model.paidAt.set(invoice.invoiceId, before ?? stagesMailed.length);
    } else model.paidAt.delete(invoice.invoiceId);

    for (const skip of document.skips)
      if (!knownSkip(skip, document, model.faulty))
        violated(
          `${where}: skip at ${skip.at} without a known reason ('${skip.reason}'${'detail' in skip ? `: ${skip.detail}` : ''})`,
        );
  }
};
