import { localDate } from '../calendar.ts';
import { standingOf } from '../customer-care/standing.ts';
import { type Customer, type Invoice, outstanding } from '../model.ts';

/**
 * How `dunning invoices` and `dunning customers` name what the store holds. An invoice still owed is
 * `held` while something stops its reminders (a flag such as a dispute or a currency mismatch, or its
 * customer paused, opted out, bounced or disputed), else `open`; `handed_off` once a person took over.
 */
export const INVOICE_LISTING_STATUSES = ['open', 'paid', 'held'] as const;
export type InvoiceListingFilter = (typeof INVOICE_LISTING_STATUSES)[number];
export type ListedInvoiceStatus = InvoiceListingFilter | 'handed_off';

export const listedCustomerStatus = (customer: Customer, now: Date): string =>
  standingOf(customer, localDate(now, customer.timeZone)).status;

export const listedInvoiceStatus = (
  invoice: Invoice,
  customer: Customer | undefined,
  now: Date,
): ListedInvoiceStatus => {
  if (invoice.status === 'paid' || outstanding(invoice) === 0) return 'paid';
  if (invoice.status === 'handed_off') return 'handed_off';
  if (invoice.flags.length > 0) return 'held';
  if (customer && listedCustomerStatus(customer, now) !== 'active') return 'held';
  return 'open';
};

/** One line of `dunning invoices --json` (the fields of docs/cli.md; more may follow, never renamed). */
export const listedInvoice = (invoice: Invoice, customer: Customer | undefined, now: Date) => ({
  invoiceId: invoice.invoiceId,
  invoiceNumber: invoice.invoiceNumber,
  customerId: invoice.customerId,
  currency: invoice.currency,
  amountDue: invoice.amountDue,
  outstanding: outstanding(invoice),
  dueDate: invoice.dueDate,
  status: listedInvoiceStatus(invoice, customer, now),
});
export type ListedInvoice = ReturnType<typeof listedInvoice>;

export const listedCustomer = (customer: Customer, now: Date) => ({
  customerId: customer.customerId,
  name: customer.name,
  email: customer.email,
  status: listedCustomerStatus(customer, now),
});
export type ListedCustomer = ReturnType<typeof listedCustomer>;
