import { addDays, localDate } from '../calendar.ts';
import type { CareActor } from '../customer-care/events.ts';
import type { DisputeOutcome } from '../customer-care/ports.ts';
import { type Customer, type Invoice, outstanding } from '../model.ts';
import type { Policy } from '../policy.ts';
import type { Clock, Mailer, OutgoingEmail } from '../ports.ts';
import type { AnswerRecord, InvoiceAnswer } from './kinds.ts';
import { type AnswerLink, verifyAnswerLink } from './link-token.ts';
import type { AnswerLedger, AnswerMail, MailOutcome } from './ports.ts';
import { type AnswerForm, type FormProblem, heldThrough, parseAnswerForm, supersedes } from './rules.ts';

/** What the page of one link shows: the customer, that email's invoices as they stand, past answers. */
export interface LinkView {
  readonly token: string;
  readonly link: AnswerLink;
  readonly customer: Customer;
  readonly invoices: readonly Invoice[];
  readonly today: string;
  readonly answers: readonly AnswerRecord[];
}

/**
 * The store or the link's key could not be reached: nothing is shown, the answer is not in effect.
 * `locale` is the customer's as far as it was known by then (their record, else the signed link).
 */
export interface Unavailable {
  readonly kind: 'unavailable';
  readonly locale?: string;
}

export type PageOutcome =
  | { readonly kind: 'page'; readonly view: LinkView }
  | { readonly kind: 'invalid' }
  | Unavailable;

export type AnswerOutcome =
  | { readonly kind: 'answered'; readonly record: AnswerRecord; readonly view: LinkView }
  | { readonly kind: 'invalid' }
  | { readonly kind: 'refused'; readonly problem: FormProblem | SettledProblem; readonly view: LinkView }
  | { readonly kind: 'limit'; readonly view: LinkView }
  | Unavailable;

/** What a request had established when something failed: the log's ids and the page's language. */
interface Progress {
  link?: AnswerLink;
  locale?: string;
  answerId?: string;
  recorded?: boolean;
}

const errorName = (error: unknown): string => (error instanceof Error && error.name) || 'unknown';

/** Every invoice the answer names is paid already. */
export interface SettledProblem {
  readonly field: 'invoice';
  readonly problem: 'settled';
}

export interface AnswerEmails {
  /** `origin`: where the customer reached the page, so the email's "change your answer" link goes there too. */
  confirmation(record: AnswerRecord, view: LinkView, origin?: string): OutgoingEmail;
  /** To the collections contact, for answers a person acts on (dispute, plan). */
  notice(record: AnswerRecord, view: LinkView): OutgoingEmail | undefined;
}

export interface CustomerAnswersDeps {
  readonly ledger: AnswerLedger;
  readonly care: { dispute(invoiceId: string, reason: string, by?: CareActor): Promise<DisputeOutcome> };
  readonly mailer: Mailer;
  readonly emails: AnswerEmails;
  readonly policy: Policy;
  readonly linkKey: () => Promise<string>;
  readonly clock: Clock;
  readonly newAnswerId: () => string;
  readonly logger?: { warn(message: string, attributes: Record<string, string>): void };
}

/** How many past answers the page reads to explain what the customer said before. */
const PAST_ANSWERS = 20;
/** A run's claim or a payment may bump an invoice's version between read and write. */
const MAX_ATTEMPTS = 5;

const isOpen = (invoice: Invoice): boolean => invoice.status === 'open' && outstanding(invoice) > 0;

/** What each chosen invoice keeps of a new answer: held until its days are over. */
const heldAnswer = (record: AnswerRecord): InvoiceAnswer => ({
  answerId: record.answerId,
  kind: record.kind,
  at: record.at,
  status: 'held',
  ...(record.heldThrough ? { heldThrough: record.heldThrough } : {}),
  ...(record.promisedFor ? { promisedFor: record.promisedFor } : {}),
  ...(record.paidOn ? { paidOn: record.paidOn } : {}),
  ...(record.reference ? { reference: record.reference } : {}),
});

/**
 * The customer's answers from a reminder's link: `page` only reads (mail scanners open links),
 * `answer` records one answer and its effect on each invoice, then confirms it by email once.
 */
export class CustomerAnswers {
  constructor(private readonly deps: CustomerAnswersDeps) {}

  private async open(token: string | undefined, progress: Progress = {}): Promise<LinkView | undefined> {
    const now = this.deps.clock();
    const check = verifyAnswerLink(await this.deps.linkKey(), token, now);
    if (!check.ok) {
      this.deps.logger?.warn('answer link refused', { reason: check.reason });
      return undefined;
    }
    const { link } = check;
    progress.link = link;
    if (link.language) progress.locale = link.language;
    const customer = await this.deps.ledger.readCustomer(link.customerId);
    if (!customer) return undefined;
    progress.locale = customer.locale;
    const [invoices, answers] = await Promise.all([
      this.deps.ledger.readInvoices(link.invoiceIds),
      this.deps.ledger.answersOf(customer.customerId, PAST_ANSWERS),
    ]);
    // A link only ever shows its own invoices, and only while they are this customer's.
    // In the email's order, whatever order the store answers in.
    const order = (invoice: Invoice) => link.invoiceIds.indexOf(invoice.invoiceId);
    const own = invoices
      .filter((invoice) => invoice.customerId === customer.customerId)
      .sort((a, b) => order(a) - order(b));
    const mine = new Set(own.map((invoice) => invoice.invoiceId));
    return {
      token: token as string,
      link,
      customer,
      invoices: own,
      today: localDate(now, customer.timeZone),
      answers: answers.filter((answer) => answer.invoiceIds.some((id) => mine.has(id))),
    };
  }

  async page(token: string | undefined): Promise<PageOutcome> {
    const progress: Progress = {};
    try {
      const view = await this.open(token, progress);
      return view ? { kind: 'page', view } : { kind: 'invalid' };
    } catch (error) {
      return this.unavailable('page', progress, error);
    }
  }

  async answer(token: string | undefined, form: AnswerForm, origin?: string): Promise<AnswerOutcome> {
    const progress: Progress = {};
    try {
      return await this.record(token, form, origin, progress);
    } catch (error) {
      return this.unavailable('answer', progress, error);
    }
  }

  /** Logged with ids only: never the customer's words, the token or the error's message. */
  private unavailable(step: 'page' | 'answer', progress: Progress, error: unknown): Unavailable {
    const { link, answerId } = progress;
    this.deps.logger?.warn('answer page unavailable', {
      step,
      error: errorName(error),
      ...(link ? { customerId: link.customerId, linkId: link.linkId } : {}),
      ...(answerId ? { answerId, recorded: String(Boolean(progress.recorded)) } : {}),
    });
    return progress.locale ? { kind: 'unavailable', locale: progress.locale } : { kind: 'unavailable' };
  }

  private async record(
    token: string | undefined,
    form: AnswerForm,
    origin: string | undefined,
    progress: Progress,
  ): Promise<AnswerOutcome> {
    const view = await this.open(token, progress);
    if (!view) return { kind: 'invalid' };
    const { policy } = this.deps;
    const ownIds = view.invoices.map((invoice) => invoice.invoiceId);
    const parsed = parseAnswerForm(form, ownIds, view.today, policy.answers);
    if (!parsed.ok) return { kind: 'refused', problem: parsed.problem, view };
    const chosen = view.invoices.filter(
      (invoice) => parsed.choice.invoiceIds.includes(invoice.invoiceId) && isOpen(invoice),
    );
    if (chosen.length === 0)
      return { kind: 'refused', problem: { field: 'invoice', problem: 'settled' }, view };
    if (!(await this.deps.ledger.countAnswer(view.link, policy.answers.maxAnswersPerLink)))
      return { kind: 'limit', view };

    const now = this.deps.clock();
    const { choice } = parsed;
    const through = heldThrough(choice, view.today, policy.answers);
    progress.answerId = this.deps.newAnswerId();
    const record: AnswerRecord = {
      answerId: progress.answerId,
      customerId: view.customer.customerId,
      kind: choice.kind,
      at: now.toISOString(),
      invoiceIds: chosen.map((invoice) => invoice.invoiceId),
      linkId: view.link.linkId,
      ...(choice.promisedFor ? { promisedFor: choice.promisedFor } : {}),
      ...(choice.paidOn ? { paidOn: choice.paidOn } : {}),
      ...(choice.reference ? { reference: choice.reference } : {}),
      ...(choice.message ? { message: choice.message } : {}),
      ...(through ? { heldThrough: through } : {}),
    };
    try {
      await this.deps.ledger.recordAnswer(record);
    } catch (error) {
      // An answer the store did not take must not use up one of the customer's answers on this link.
      await this.deps.ledger.uncountAnswer(view.link).catch(() => undefined);
      throw error;
    }
    progress.recorded = true;
    const answer = heldAnswer(record);
    for (const invoice of chosen) await this.apply(invoice, record, answer, view);
    // The answer is in effect now: a failing re-read only leaves the confirmation with the page as read.
    const after = (await this.open(token).catch(() => undefined)) ?? view;
    await this.mail(record, after, 'confirmation', origin);
    await this.mail(record, after, 'notice');
    return { kind: 'answered', record, view: after };
  }

  /**
   * The answer's effect on one invoice: a dispute goes through customer care as `dunning dispute`
   * does; every answer then sits on the invoice (superseding an open earlier one), and a hold puts
   * the invoice in the due index now, so the next run records the hold under its reason.
   */
  private async apply(first: Invoice, record: AnswerRecord, answer: InvoiceAnswer, view: LinkView) {
    const { ledger } = this.deps;
    if (record.kind === 'dispute')
      await this.deps.care.dispute(first.invoiceId, record.message ?? '', 'customer');
    let invoice: Invoice | undefined = first;
    for (let attempt = 1; invoice && attempt <= MAX_ATTEMPTS; attempt += 1) {
      const previous = invoice.answer;
      if (previous && previous.answerId !== record.answerId && supersedes(previous, invoice, view.today))
        await ledger.markSuperseded(view.customer.customerId, previous, record.answerId);
      const dueAt = record.kind === 'dispute' ? undefined : this.deps.clock();
      if (await ledger.holdInvoice(invoice, answer, dueAt)) return;
      [invoice] = await ledger.readInvoices([first.invoiceId]);
      if (invoice && !isOpen(invoice)) return;
    }
    this.deps.logger?.warn('answer not placed on invoice', { invoiceId: first.invoiceId });
  }

  /** Claim, send, record: the reminders' at-most-once path, so a retried request never mails twice. */
  private async mail(record: AnswerRecord, view: LinkView, mail: AnswerMail, origin?: string): Promise<void> {
    const email =
      mail === 'confirmation'
        ? this.deps.emails.confirmation(record, view, origin)
        : this.deps.emails.notice(record, view);
    if (!email) return;
    const { ledger } = this.deps;
    // The answer stands whatever happens here; a claim whose write is unknown sends nothing (at most once).
    try {
      if (!(await ledger.claimMail(record, mail))) return;
    } catch (error) {
      this.deps.logger?.warn('answer email not claimed', {
        mail,
        answerId: record.answerId,
        error: errorName(error),
      });
      return;
    }
    let outcome: MailOutcome;
    try {
      const { messageId } = await this.deps.mailer.send(email);
      outcome = { status: 'sent', messageId };
    } catch (error) {
      this.deps.logger?.warn('answer email not sent', {
        mail,
        answerId: record.answerId,
        error: errorName(error),
      });
      outcome = { status: 'failed', reason: errorName(error) };
    }
    await ledger.recordMail(record, mail, outcome).catch((error: unknown) => {
      this.deps.logger?.warn('answer email outcome not recorded', {
        mail,
        answerId: record.answerId,
        error: errorName(error),
      });
    });
  }
}

/** The last day a promise may name, for the page's date picker. */
export const latestPromiseDate = (today: string, policy: Policy): string =>
  addDays(today, policy.answers.maxPromiseDays);
