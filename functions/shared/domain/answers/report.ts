import { localDate } from '../calendar.ts';
import { type Customer, type Invoice, outstanding } from '../model.ts';
import { type AnswerKind, type AnswerStatus, OPEN_STATUSES } from './kinds.ts';
import { answerStatusOn } from './rules.ts';

/** One open answer as `dunning report --json` lists it under `customerResponses`. */
export interface CustomerResponseLine {
  readonly customerId: string;
  readonly invoiceIds: string[];
  readonly kind: AnswerKind;
  readonly status: AnswerStatus;
  readonly at: string;
  readonly customerName: string | null;
  readonly promisedFor: string | null;
  readonly heldThrough: string | null;
  /** Owed on the answer's invoices, per currency, minor units. */
  readonly outstanding: { currency: string; amount: number }[];
}

/** The answers a person should look at, by what they need. */
export interface NeedsAPerson {
  readonly openPromises: CustomerResponseLine[];
  readonly brokenPromises: CustomerResponseLine[];
  readonly unmatchedPaymentClaims: CustomerResponseLine[];
  readonly planRequests: CustomerResponseLine[];
}

export interface AnswerReport {
  readonly customerResponses: CustomerResponseLine[];
  readonly needsAPerson: NeedsAPerson;
  /** Promises that ended, per currency: counted once per answer and currency. */
  readonly promises: { currency: string; kept: number; broken: number }[];
}

/**
 * Gathers the customers' answers from the invoices the report reads anyway (each carries its latest
 * answer), so the report costs no extra read. Status is where each answer stands at the report's
 * instant on the customer's calendar (the deployment's when the customer is not read).
 */
export class AnswerTally {
  private readonly open = new Map<string, CustomerResponseLine>();
  private readonly ended = new Map<string, { currency: string; status: 'kept' | 'broken' }>();

  constructor(
    private readonly at: Date,
    private readonly deploymentTimeZone: string,
  ) {}

  add(invoice: Invoice, customer: Customer | undefined): void {
    const { answer } = invoice;
    if (!answer) return;
    const today = localDate(this.at, customer?.timeZone ?? this.deploymentTimeZone);
    const status = answerStatusOn(answer, invoice, today);
    if (answer.kind === 'promise' && (status === 'kept' || status === 'broken'))
      this.ended.set(`${answer.answerId}|${invoice.currency}`, { currency: invoice.currency, status });
    const owed = outstanding(invoice);
    if (!OPEN_STATUSES.includes(status) || owed === 0) return;
    const line = this.open.get(answer.answerId) ?? {
      customerId: invoice.customerId,
      invoiceIds: [],
      kind: answer.kind,
      status,
      at: answer.at,
      customerName: customer?.name ?? null,
      promisedFor: answer.promisedFor ?? null,
      heldThrough: answer.heldThrough ?? null,
      outstanding: [],
    };
    line.invoiceIds.push(invoice.invoiceId);
    const sum = line.outstanding.find((entry) => entry.currency === invoice.currency);
    if (sum) sum.amount += owed;
    else line.outstanding.push({ currency: invoice.currency, amount: owed });
    this.open.set(answer.answerId, line);
  }

  build(): AnswerReport {
    const lines = [...this.open.values()].sort((a, b) => a.at.localeCompare(b.at));
    const of = (kind: AnswerKind, ...statuses: AnswerStatus[]) =>
      lines.filter((line) => line.kind === kind && statuses.includes(line.status));
    const promises = new Map<string, { currency: string; kept: number; broken: number }>();
    for (const { currency, status } of this.ended.values()) {
      const entry = promises.get(currency) ?? { currency, kept: 0, broken: 0 };
      entry[status] += 1;
      promises.set(currency, entry);
    }
    return {
      customerResponses: lines,
      needsAPerson: {
        openPromises: of('promise', 'held'),
        brokenPromises: of('promise', 'broken'),
        unmatchedPaymentClaims: of('paid', 'unmatched'),
        planRequests: of('plan', 'held'),
      },
      promises: [...promises.values()].sort((a, b) => a.currency.localeCompare(b.currency)),
    };
  }
}

/** The report's text lines for the answers: what needs a person, and promises kept and broken. */
export const answerReportText = (report: AnswerReport): string[] => {
  const { needsAPerson } = report;
  const section = (
    title: string,
    lines: readonly CustomerResponseLine[],
    say: (line: CustomerResponseLine) => string,
  ) =>
    lines.length
      ? [
          `${title} (${lines.length})`,
          ...lines.map(
            (line) =>
              `  ${line.customerName ?? line.customerId} (${line.customerId}): ${line.invoiceIds.join(', ')} - ${say(line)}`,
          ),
        ]
      : [];
  const lines = [
    ...section(
      'Broken promises',
      needsAPerson.brokenPromises,
      (line) => `promised for ${line.promisedFor}, not paid`,
    ),
    ...section(
      'Payments claimed, not found',
      needsAPerson.unmatchedPaymentClaims,
      (line) => `claimed ${line.at.slice(0, 10)}`,
    ),
    ...section(
      'Payment plan requests',
      needsAPerson.planRequests,
      (line) => `asked ${line.at.slice(0, 10)}; "dunning resume" or "dunning pause --until" once agreed`,
    ),
    ...section(
      'Open promises',
      needsAPerson.openPromises,
      (line) => `pays by ${line.promisedFor}, held through ${line.heldThrough}`,
    ),
  ];
  const promises = report.promises.map(
    (entry) => `  ${entry.currency}: ${entry.kept} kept, ${entry.broken} broken`,
  );
  return [
    ...(lines.length ? ['', 'Customer answers that need a person', ...lines] : []),
    ...(promises.length ? ['', 'Promises to pay', ...promises] : []),
  ];
};
