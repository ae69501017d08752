import { localDate } from '../calendar.ts';
import { type Accrual, accrue, type DatedAmount, type InterestPeriod } from './accrual.ts';
import { type LatePaymentLaw, lawFor } from './laws.ts';
import type { ReferenceRates } from './reference-rates.ts';

/**
 * What statutory late-payment interest and compensation may be claimed on one invoice as of a day:
 * who the law protects (business customers only), which law (the customer's country), and whether the
 * invoice is overdue, undisputed and unpaid. `dunning interest`, `show`, the report and the reminder
 * all read this one answer.
 */

export type CustomerType = 'business' | 'consumer';

export type NotApplicableReason =
  | 'consumer'
  | 'no_statute'
  | 'disputed'
  | 'not_overdue'
  | 'paid'
  | 'rate_unavailable';

export interface ClaimInput {
  readonly invoice: {
    readonly invoiceId: string;
    readonly currency: string;
    readonly amountDue: number;
    readonly amountPaid: number;
    readonly dueDate: string;
    readonly status: string;
    readonly flags: readonly string[];
  };
  readonly customer: {
    readonly customerType?: CustomerType;
    readonly country?: string;
    readonly timeZone: string;
    readonly status: string;
  };
  /** Applied payments and refunds, each at its instant. */
  readonly payments: readonly {
    readonly amount: number;
    readonly kind: string;
    readonly occurredAt: string;
  }[];
  readonly asOf: Date;
  readonly rates: ReferenceRates;
  readonly waived: { readonly interest: boolean; readonly compensation: boolean };
}

export interface LatePaymentClaim {
  readonly invoiceId: string;
  readonly currency: string;
  readonly applicable: boolean;
  readonly reason: NotApplicableReason | null;
  /** One sentence a finance team can read: why it applies or why not. */
  readonly detail: string;
  readonly jurisdiction: string | null;
  readonly law: string | null;
  /** The customer's calendar day the figures run to. */
  readonly asOf: string;
  /** The first day of interest: the day after the due date. */
  readonly interestFrom: string | null;
  readonly periods: readonly InterestPeriod[];
  readonly interest: number;
  readonly compensation: number;
  readonly waived: { readonly interest: boolean; readonly compensation: boolean };
  readonly settled: { readonly interest: number; readonly compensation: number };
  readonly ratesVersion: string;
}

const REASONS: Record<NotApplicableReason, string> = {
  consumer: 'statutory late-payment interest and compensation apply only between businesses',
  no_statute: 'no late-payment law is known for the customer’s country',
  disputed: 'the invoice is disputed',
  not_overdue: 'the invoice is not overdue',
  paid: 'the invoice is paid',
  rate_unavailable: 'the reference-rate table does not cover',
};

const datedPayments = (input: ClaimInput): DatedAmount[] =>
  input.payments.map((payment) => ({
    date: localDate(new Date(payment.occurredAt), input.customer.timeZone),
    amount: payment.kind === 'refund' ? -payment.amount : payment.amount,
  }));

const blocker = (input: ClaimInput, law: LatePaymentLaw | undefined, asOf: string) => {
  if ((input.customer.customerType ?? 'business') === 'consumer') return 'consumer';
  if (!law) return 'no_statute';
  if (input.invoice.flags.includes('disputed') || input.customer.status === 'disputed') return 'disputed';
  if (asOf <= input.invoice.dueDate) return 'not_overdue';
  if (input.invoice.status === 'paid') return 'paid';
  return undefined;
};

export const latePaymentClaim = (input: ClaimInput): LatePaymentClaim => {
  const { invoice, customer } = input;
  const asOf = localDate(input.asOf, customer.timeZone);
  const law = lawFor(customer.country);
  const base = {
    invoiceId: invoice.invoiceId,
    currency: invoice.currency,
    jurisdiction: customer.country?.toUpperCase() ?? null,
    law: law?.name ?? null,
    asOf,
    waived: input.waived,
    ratesVersion: input.rates.version,
  };
  const none = (reason: NotApplicableReason, detail: string = REASONS[reason]): LatePaymentClaim => ({
    ...base,
    applicable: false,
    reason,
    detail,
    interestFrom: null,
    periods: [],
    interest: 0,
    compensation: 0,
    settled: { interest: 0, compensation: 0 },
  });
  const blocked = blocker(input, law, asOf);
  if (blocked || !law) return none(blocked ?? 'no_statute');
  const accrual = accrue({
    law,
    rates: input.rates,
    principal: invoice.amountDue - invoice.amountPaid,
    currency: invoice.currency,
    dueDate: invoice.dueDate,
    asOf,
    payments: datedPayments(input),
    waived: input.waived,
  });
  if (!accrual.ok) {
    return none('rate_unavailable', `${REASONS.rate_unavailable} ${accrual.halfYear}: no claim is made`);
  }
  return { ...base, ...applicableParts(accrual, law, input) };
};

const applicableParts = (accrual: Accrual, law: LatePaymentLaw, input: ClaimInput) => ({
  applicable: true,
  reason: null,
  detail: detailFor(accrual, law, input),
  interestFrom: accrual.periods[0]?.from ?? null,
  periods: accrual.periods,
  interest: input.waived.interest ? 0 : accrual.interest,
  compensation: accrual.compensation,
  settled: accrual.settled,
});

const detailFor = (accrual: Accrual, law: LatePaymentLaw, input: ClaimInput): string => {
  const parts = [`overdue business invoice under ${law.name}`];
  if (input.waived.interest) parts.push('interest waived');
  if (input.waived.compensation) parts.push('compensation waived');
  if (accrual.compensationNote === 'currency') {
    parts.push(
      `no fixed compensation: the law states it in ${law.compensationCurrency}, not ${input.invoice.currency}`,
    );
  }
  return parts.join('; ');
};
