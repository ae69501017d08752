import { NotFoundError, UserInputError } from '../../errors.ts';
import { type Customer, type Invoice, outstanding } from '../model.ts';
import type { Policy, Stage } from '../policy.ts';
import type { OutgoingEmail } from '../ports.ts';
import { nothingDue, skipWords } from '../reminder/nothing-due.ts';
import type { RunDependencies } from './dependencies.ts';
import { latePaymentClaims, lineFigures, plannedLines, reminderEmail } from './reminder-email.ts';
import type { OutgoingPreview } from './run-state.ts';
import { DunningRun, type RunOutcome } from './service.ts';

export interface InvoicePreviewRequest {
  readonly invoiceId: string;
  /** The run's date: the run as of this instant is the one previewed. */
  readonly asOf: Date;
  /** Renders this stage for the invoice alone instead of the run's plan. */
  readonly stageName?: string;
}

/** The email of a preview: what the mailer would get, its sender as the header shows it, its lines. */
export interface PreviewedEmail {
  readonly email: OutgoingEmail;
  readonly from: string;
  readonly language: string;
  readonly invoices: OutgoingPreview['invoices'];
  /** Outside the customer's business hours: the run defers the email to this opening. */
  readonly deferredUntil?: string;
}

export type InvoicePreview =
  | ({
      readonly kind: 'email';
      readonly invoice: Invoice;
      readonly customer: Customer;
      /** This invoice's stage in the email. */
      readonly stage: Stage;
      /** True when `--stage` chose it: the invoice alone, not the run's plan. */
      readonly chosen: boolean;
    } & PreviewedEmail)
  | {
      readonly kind: 'nothing';
      readonly invoice: Invoice;
      readonly customer: Customer;
      /** The run's skip reason, or `not_due`, `handed_off`, `in_flight`, `failed`. */
      readonly reason: string;
      readonly explanation: string;
      /** The email the customer gets in that run for their other invoices, if any. */
      readonly customerEmail?: OutgoingPreview;
    };

const namedStage = (policy: Policy, name: string): Stage => {
  const stage = policy.stages.find((candidate) => candidate.name === name);
  if (stage) return stage;
  const known = policy.stages.map((candidate) => candidate.name).join(', ');
  throw new UserInputError(`Unknown stage "${name}"; the policy's stages are: ${known}.`);
};

/** Why the run sends this invoice nothing: its own skip, its customer's failure, else its verdict. */
const nothingFor = (
  outcome: RunOutcome,
  invoice: Invoice,
  customer: Customer,
  policy: Policy,
  asOf: Date,
): { reason: string; explanation: string } => {
  const skip = outcome.skips?.findLast((entry) => entry.invoiceId === invoice.invoiceId);
  if (skip) return { reason: skip.reason, explanation: skipWords(skip.reason, invoice, customer, policy) };
  const failure = outcome.failures.find((entry) => entry.invoiceIds.includes(invoice.invoiceId));
  if (failure)
    return { reason: 'failed', explanation: `the run could not work this customer: ${failure.reason}` };
  const verdict = nothingDue(invoice, customer, policy, asOf);
  if (verdict) return verdict;
  // Due by its own state, yet the run leaves it: a run as of the same instant holds the customer, or
  // the due index (which the run reads) does not list it yet.
  if (customer.lastReminderAt === asOf.toISOString())
    return { reason: 'in_flight', explanation: 'a run as of this very instant holds the customer' };
  return {
    reason: 'not_due',
    explanation: `the run's list of due invoices does not hold it as of ${asOf.toISOString()}`,
  };
};

/**
 * What `dunning preview` shows: the one email the invoice's customer gets in the run as of `asOf`,
 * taken from that run's own plan and rendering (a dry run of the customer), or why the invoice gets
 * nothing in it. It claims, sends and writes nothing.
 */
export class InvoicePreviewer {
  constructor(
    private readonly deps: RunDependencies,
    /** The From header the mailer writes for an email (the deployment's sending address). */
    private readonly fromHeader: (email: OutgoingEmail) => string,
  ) {}

  async preview(request: InvoicePreviewRequest): Promise<InvoicePreview> {
    const { ledger } = this.deps;
    const invoice = await ledger.readInvoice(request.invoiceId);
    if (!invoice) throw new NotFoundError(`Invoice "${request.invoiceId}" not found.`);
    const customer = (await ledger.readCustomers([invoice.customerId])).get(invoice.customerId);
    if (!customer)
      throw new NotFoundError(
        `Customer "${invoice.customerId}" of invoice "${request.invoiceId}" not found.`,
      );
    if (request.stageName !== undefined)
      return this.chosenStage(invoice, customer, request.stageName, request.asOf);
    const outcome = await new DunningRun(this.deps).preview(customer.customerId, request.asOf);
    const entry = outcome.outgoing.find((email) =>
      email.invoices.some((line) => line.invoiceId === invoice.invoiceId),
    );
    const line = entry?.invoices.find((candidate) => candidate.invoiceId === invoice.invoiceId);
    if (!entry?.rendering || !line) {
      const customerEmail = outcome.outgoing[0];
      return {
        kind: 'nothing',
        invoice,
        customer,
        ...nothingFor(outcome, invoice, customer, this.deps.policy, request.asOf),
        ...(customerEmail ? { customerEmail } : {}),
      };
    }
    const { email, language } = entry.rendering;
    return {
      kind: 'email',
      invoice,
      customer,
      stage: namedStage(this.deps.policy, line.stage),
      chosen: false,
      email,
      from: this.fromHeader(email),
      language,
      invoices: entry.invoices,
      ...(entry.deferredUntil ? { deferredUntil: entry.deferredUntil } : {}),
    };
  }

  /** A stage asked for by name: the invoice alone, rendered the way the run renders, whatever the day. */
  private async chosenStage(
    invoice: Invoice,
    customer: Customer,
    stageName: string,
    asOf: Date,
  ): Promise<InvoicePreview> {
    const { policy } = this.deps;
    const nothing = nothingDue(invoice, customer, policy, asOf);
    if (nothing && outstanding(invoice) === 0) return { kind: 'nothing', invoice, customer, ...nothing };
    const stage = namedStage(policy, stageName);
    const candidates = [{ invoice, stage }];
    const claims = await latePaymentClaims(this.deps, candidates, customer, asOf);
    const lines = plannedLines(this.deps, candidates, customer, asOf, claims);
    const { email, language } = reminderEmail(this.deps, customer, lines, asOf);
    return {
      kind: 'email',
      invoice,
      customer,
      stage,
      chosen: true,
      email,
      from: this.fromHeader(email),
      language,
      invoices: lineFigures(lines),
    };
  }
}
