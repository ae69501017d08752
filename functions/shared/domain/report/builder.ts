import { localDate } from '../calendar.ts';
import { RESOLVABLE_FLAGS } from '../customer-care/held-flags.ts';
import { type Customer, type Invoice, outstanding, type Payment } from '../model.ts';
import { creditOf } from '../payments/apply.ts';
import { appliedEffect } from '../payments/lines.ts';
import { AGING_BUCKETS, type AgingBucket, agingBucket, daysPastDue, emptyBuckets } from './aging.ts';
import type {
  AgingReport,
  CreditLine,
  CurrencyAging,
  FlaggedPayment,
  HandOffLine,
  HeldCustomer,
  HeldInvoice,
  UnconfirmedSend,
} from './document.ts';
import { inPeriod, REPORT_PERIOD_DAYS, type ReportMoment } from './period.ts';
import type { ReportInvoice, UnmatchedPayment } from './ports.ts';

interface CurrencyTotals {
  amounts: Record<AgingBucket, number>;
  counts: Record<AgingBucket, number>;
  remindersSent: number;
  recovered: number;
  /** Statutory interest (to date when last claimed) and compensation claimed on open invoices, not waived. */
  interestClaimed: number;
  compensationClaimed: number;
}

/** What the report reads of an invoice whose payments it counts. */
export type PaymentInvoice = Pick<
  Invoice,
  | 'invoiceId'
  | 'invoiceNumber'
  | 'customerId'
  | 'currency'
  | 'claims'
  | 'amountDue'
  | 'amountPaid'
  | 'amountReceived'
  | 'feesCharged'
>;

/** When the invoice's first reminder went out, if one provably did. */
export const firstReminderAt = (invoice: Pick<Invoice, 'claims'>): string | undefined =>
  Object.values(invoice.claims)
    .filter((claim) => claim.status === 'sent' && claim.sentAt)
    .map((claim) => claim.sentAt as string)
    .sort()[0];

/** A customer who gets no reminders as of the report's date, and why. */
const holdOf = (customer: Customer, at: Date): string | undefined => {
  if (customer.status !== 'active') return customer.status;
  if (customer.pausedUntil && customer.pausedUntil > localDate(at, customer.timeZone)) return 'paused';
  return undefined;
};

const byText =
  <T>(key: (item: T) => string) =>
  (a: T, b: T) =>
    key(a).localeCompare(key(b));

/**
 * Folds invoices, their customers and payments into the aging report, one invoice at a time, so a
 * portfolio of any size is read once and never held in memory. Pure: the caller does the reading.
 */
/** A hold flag (a currency mismatch, an inexact amount) the invoice no longer carries was resolved. */
const isResolvedHold = (flag: string, invoiceFlags: readonly string[]): boolean =>
  (RESOLVABLE_FLAGS as readonly string[]).includes(flag) && !invoiceFlags.includes(flag);

export class ReportBuilder {
  private readonly currencies = new Map<string, CurrencyTotals>();
  private readonly handOffs: HandOffLine[] = [];
  private readonly unconfirmed: UnconfirmedSend[] = [];
  private readonly held = new Map<
    string,
    { customer: Customer; reason: string; owed: Map<string, number> }
  >();
  private readonly heldInvoices: HeldInvoice[] = [];
  private readonly flagged: FlaggedPayment[] = [];
  private readonly credits: CreditLine[] = [];
  private unmatched: UnmatchedPayment[] = [];

  constructor(
    private readonly moment: ReportMoment,
    private readonly deploymentTimeZone: string,
  ) {}

  private totals(currency: string): CurrencyTotals {
    let totals = this.currencies.get(currency);
    if (!totals) {
      totals = {
        amounts: emptyBuckets(),
        counts: emptyBuckets(),
        remindersSent: 0,
        recovered: 0,
        interestClaimed: 0,
        compensationClaimed: 0,
      };
      this.currencies.set(currency, totals);
    }
    return totals;
  }

  /** One invoice with its customer (undefined when the customer item is missing: the deployment's zone). */
  addInvoice(invoice: ReportInvoice, customer: Customer | undefined): void {
    const totals = this.totals(invoice.currency);
    for (const claim of Object.values(invoice.claims)) {
      if (claim.status === 'sent' && inPeriod(claim.sentAt, this.moment)) totals.remindersSent += 1;
      if (claim.status === 'unknown') {
        this.unconfirmed.push({
          invoiceId: invoice.invoiceId,
          invoiceNumber: invoice.invoiceNumber,
          customerId: invoice.customerId,
          stage: claim.stage,
          claimedAt: claim.claimedAt,
          runId: claim.runId,
        });
      }
    }
    const owed = outstanding(invoice);
    if (owed === 0) return;
    const zone = customer?.timeZone ?? this.deploymentTimeZone;
    const days = daysPastDue(invoice.dueDate, this.moment.at, zone);
    const bucket = agingBucket(days);
    totals.amounts[bucket] += owed;
    totals.counts[bucket] += 1;
    const { interest, compensation } = invoice.charges ?? {};
    if (interest && !interest.waived) totals.interestClaimed += interest.amount;
    if (compensation && !compensation.waived) totals.compensationClaimed += compensation.amount;
    if (invoice.status === 'handed_off') {
      this.handOffs.push({
        invoiceId: invoice.invoiceId,
        invoiceNumber: invoice.invoiceNumber,
        customerId: invoice.customerId,
        customerName: customer?.name ?? null,
        customerEmail: customer?.email ?? null,
        currency: invoice.currency,
        outstanding: owed,
        daysOverdue: Math.max(0, days),
        handedOffAt: invoice.callTask?.createdAt ?? null,
        assignee: invoice.callTask?.assignee ?? null,
      });
    }
    if (invoice.flags.length > 0) {
      this.heldInvoices.push({
        invoiceId: invoice.invoiceId,
        invoiceNumber: invoice.invoiceNumber,
        customerId: invoice.customerId,
        currency: invoice.currency,
        outstanding: owed,
        flags: invoice.flags,
      });
    }
    const hold = customer && holdOf(customer, this.moment.at);
    if (customer && hold) {
      const entry = this.held.get(customer.customerId) ?? { customer, reason: hold, owed: new Map() };
      entry.owed.set(invoice.currency, (entry.owed.get(invoice.currency) ?? 0) + owed);
      this.held.set(customer.customerId, entry);
    }
  }

  /**
   * An invoice's payment records: money applied after its first reminder and within the period
   * counts as recovered (a refund in the same window takes it back); flagged records are listed while
   * their cause is open: one whose hold an operator resolved (the invoice no longer carries the flag)
   * stays recorded but leaves the list.
   */
  addPayments(invoice: PaymentInvoice & Partial<Pick<Invoice, 'flags'>>, payments: readonly Payment[]): void {
    const reminded = firstReminderAt(invoice);
    const totals = this.totals(invoice.currency);
    // What the invoice asks for beyond what was paid before import: money past it is a credit, not a recovery.
    const owed = Math.max(0, invoice.amountDue + invoice.feesCharged - invoice.amountPaid);
    let received = 0;
    for (const payment of payments) {
      const before = Math.min(received, owed);
      received += appliedEffect(payment);
      const recovered = Math.min(Math.max(received, 0), owed) - Math.max(before, 0);
      if (payment.flag && isResolvedHold(payment.flag, invoice.flags ?? [])) continue;
      if (payment.flag) {
        this.flagged.push({
          invoiceId: invoice.invoiceId,
          paymentId: payment.paymentId,
          flag: payment.flag,
          provider: payment.provider,
          kind: payment.kind,
          amount: payment.amount,
          currency: payment.currency,
          invoiceCurrency: invoice.currency,
          occurredAt: payment.occurredAt,
        });
      }
      if (!payment.applied || !reminded || payment.occurredAt <= reminded) continue;
      if (!inPeriod(payment.occurredAt, this.moment)) continue;
      totals.recovered += recovered;
    }
    const credit = creditOf(invoice);
    if (credit > 0)
      this.credits.push({
        invoiceId: invoice.invoiceId,
        invoiceNumber: invoice.invoiceNumber,
        customerId: invoice.customerId,
        currency: invoice.currency,
        credit,
      });
  }

  addUnmatched(events: readonly UnmatchedPayment[]): void {
    this.unmatched = [...this.unmatched, ...events];
  }

  /** Per currency in code order; one whose invoices are all settled and quiet in the period is left out. */
  private currencyLines(): CurrencyAging[] {
    return [...this.currencies.entries()]
      .filter(
        ([, totals]) =>
          totals.remindersSent || totals.recovered || AGING_BUCKETS.some((b) => totals.counts[b]),
      )
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([currency, totals]) => ({
        currency,
        ...totals.amounts,
        outstanding: AGING_BUCKETS.reduce((sum, bucket) => sum + totals.amounts[bucket], 0),
        remindersSent: totals.remindersSent,
        recovered: totals.recovered,
        // Only where reminders claimed any: most deployments never switch statutory interest on.
        ...(totals.interestClaimed || totals.compensationClaimed
          ? { interestClaimed: totals.interestClaimed, compensationClaimed: totals.compensationClaimed }
          : {}),
        openInvoices: AGING_BUCKETS.reduce((sum, bucket) => sum + totals.counts[bucket], 0),
        invoices: totals.counts,
      }));
  }

  private heldCustomerLines(): HeldCustomer[] {
    return [...this.held.values()]
      .map(({ customer, reason, owed }) => ({
        customerId: customer.customerId,
        name: customer.name,
        reason,
        pausedUntil: customer.pausedUntil ?? null,
        note: customer.pauseReason ?? null,
        outstanding: [...owed.entries()]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([currency, amount]) => ({ currency, amount })),
      }))
      .sort(byText((line) => line.customerId));
  }

  build(): AgingReport {
    const currencies = this.currencyLines();
    const heldCustomers = this.heldCustomerLines();
    return {
      asOf: this.moment.asOf,
      asOfInstant: this.moment.at.toISOString(),
      timeZone: this.deploymentTimeZone,
      period: {
        from: this.moment.periodFrom.toISOString(),
        to: this.moment.at.toISOString(),
        days: REPORT_PERIOD_DAYS,
      },
      currencies,
      handOffs: [...this.handOffs].sort(byText((line) => `${line.handedOffAt ?? ''}#${line.invoiceId}`)),
      unconfirmedSends: [...this.unconfirmed].sort(byText((line) => `${line.claimedAt}#${line.invoiceId}`)),
      heldCustomers,
      heldInvoices: [...this.heldInvoices].sort(byText((line) => line.invoiceId)),
      flaggedPayments: [...this.flagged].sort(byText((line) => `${line.occurredAt}#${line.paymentId}`)),
      credits: [...this.credits].sort(byText((line) => line.invoiceId)),
      unmatchedPayments: [...this.unmatched]
        .sort(byText((event) => `${event.receivedAt}#${event.eventId}`))
        .map((event) => ({
          eventId: event.eventId,
          // A refund waiting for its payment names no invoice yet: the money it refunds, instead.
          invoiceId: event.invoiceId ?? `(refund of ${event.refs[0] ?? 'an unknown payment'})`,
          provider: event.provider,
          kind: event.kind,
          amount: event.amount,
          currency: event.currency,
          occurredAt: event.occurredAt,
          receivedAt: event.receivedAt,
        })),
    };
  }
}
