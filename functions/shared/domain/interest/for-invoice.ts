import type { Customer, Invoice, Payment } from '../model.ts';
import { type CustomerType, type LatePaymentClaim, latePaymentClaim } from './claim.ts';
import { lawCountryOfZone } from './country.ts';
import type { ReferenceRates } from './reference-rates.ts';

/**
 * The claim for an invoice as the store holds it: its applied payments and refunds, its customer's
 * type and country (imported, or else the country of their zone), and what an operator waived.
 */
export interface InvoiceClaimInput {
  readonly invoice: Invoice;
  readonly customer?: Customer | undefined;
  readonly payments: readonly Payment[];
  readonly asOf: Date;
  readonly rates: ReferenceRates;
}

/** The customer's country for the law: `customer_country` once imported, else their zone's. */
export const customerCountry = (customer: Customer | undefined): string | undefined => {
  if (!customer) return undefined;
  return customer.country ?? lawCountryOfZone(customer.timeZone);
};

export const waivedParts = (invoice: Invoice) => ({
  interest: invoice.charges?.interest?.waived !== undefined,
  compensation: invoice.charges?.compensation?.waived !== undefined,
});

export const claimForInvoice = ({
  invoice,
  customer,
  payments,
  asOf,
  rates,
}: InvoiceClaimInput): LatePaymentClaim =>
  latePaymentClaim({
    invoice,
    customer: {
      customerType: (customer?.customerType ?? 'business') as CustomerType,
      timeZone: customer?.timeZone ?? 'UTC',
      status: customer?.status ?? 'active',
      ...(customerCountry(customer) === undefined ? {} : { country: customerCountry(customer) }),
    },
    payments: payments.filter((payment) => payment.applied),
    asOf,
    rates,
    waived: waivedParts(invoice),
  });
