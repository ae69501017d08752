import { type AnswerReport, AnswerTally } from '../answers/report.ts';
import type { Customer, Invoice } from '../model.ts';
import { outstanding } from '../model.ts';
import { type PaymentInvoice, ReportBuilder } from './builder.ts';
import type { AgingReport } from './document.ts';
import type { ReportMoment } from './period.ts';
import type { ReportInvoice, ReportReader } from './ports.ts';

type PaymentCandidate = PaymentInvoice & Pick<Invoice, 'appliedEventIds' | 'settlements' | 'flags'>;

/** Only what the payment reads and the recovered figures need: the page itself is let go. */
const paymentCandidate = (invoice: ReportInvoice): PaymentCandidate => {
  const { invoiceId, invoiceNumber, customerId, currency, claims, appliedEventIds, settlements, flags } =
    invoice;
  const { amountDue, amountPaid, amountReceived, feesCharged } = invoice;
  return {
    invoiceId,
    invoiceNumber,
    customerId,
    currency,
    claims,
    appliedEventIds,
    flags,
    ...(settlements ? { settlements } : {}),
    amountDue,
    amountPaid,
    amountReceived,
    feesCharged,
  };
};

/**
 * Reads the store once and builds the aging report: every invoice page by page, the customers of
 * the open ones (their zone places the due date), then the payment records of just the invoices a
 * webhook ever touched (recoveries and flagged payments), then the unmatched payments.
 */
export const collectReport = async (
  reader: ReportReader,
  moment: ReportMoment,
  deploymentTimeZone: string,
): Promise<AgingReport & AnswerReport> => {
  const builder = new ReportBuilder(moment, deploymentTimeZone);
  const answers = new AnswerTally(moment.at, deploymentTimeZone);
  // One read per customer, also when pages arrive concurrently.
  const customers = new Map<string, Promise<Customer | undefined>>();
  const candidates: PaymentCandidate[] = [];

  const customersOf = (page: readonly ReportInvoice[]) => {
    const missing = [
      ...new Set(page.filter((invoice) => outstanding(invoice) > 0).map((invoice) => invoice.customerId)),
    ].filter((customerId) => !customers.has(customerId));
    if (missing.length) {
      const batch = reader.customers(missing);
      for (const customerId of missing)
        customers.set(
          customerId,
          batch.then((found) => found.get(customerId)),
        );
    }
  };

  await reader.forEachInvoicePage(async (page) => {
    customersOf(page);
    for (const invoice of page) {
      const customer = outstanding(invoice) > 0 ? await customers.get(invoice.customerId) : undefined;
      builder.addInvoice(invoice, customer);
      answers.add(invoice, customer);
      if (invoice.appliedEventIds.length > 0) candidates.push(paymentCandidate(invoice));
    }
  });

  const payments = await reader.payments(candidates);
  for (const candidate of candidates) builder.addPayments(candidate, payments.get(candidate.invoiceId) ?? []);
  builder.addUnmatched(await reader.unmatchedPayments());
  return { ...builder.build(), ...answers.build() };
};
