import type { PortfolioRow } from '../cli/demo/portfolio.ts';
import { addDays } from '../functions/shared/domain/calendar.ts';
import { toMajorString } from '../functions/shared/domain/money.ts';

/**
 * The benchmark's portfolio: `invoices` open invoices, four per customer, of which one in ten has a
 * stage come due as of `today` (each in a different customer, so every due invoice is one email)
 * and the rest fall due later. Customers sit in three zones whose business hours all contain
 * 14:30 UTC on a weekday, so the run sends rather than defers.
 */
export interface BenchProfile {
  readonly zone: string;
  readonly locale: string;
  readonly currency: string;
}

const PROFILES: readonly BenchProfile[] = [
  { zone: 'Europe/London', locale: 'en-GB', currency: 'GBP' },
  { zone: 'Europe/Berlin', locale: 'de-DE', currency: 'EUR' },
  { zone: 'America/New_York', locale: 'en-US', currency: 'USD' },
];

/** Days overdue of the due invoices: one for each stage of policy/dunning.json, after its offset. */
const OVERDUE = [2, 5, 16, 31, 46];
const INVOICES_PER_CUSTOMER = 4;
export const DUE_SHARE = 10;

export const profileOf = (customerNumber: number, profiles: readonly BenchProfile[] = PROFILES) =>
  profiles[customerNumber % profiles.length] as BenchProfile;

export const benchInvoiceId = (prefix: string, number: number) =>
  `${prefix}-${String(number).padStart(6, '0')}`;

export function* benchPortfolio(options: {
  readonly today: string;
  readonly invoices: number;
  readonly prefix: string;
  /** One invoice in this many is due; default DUE_SHARE. */
  readonly dueShare?: number;
  readonly invoicesPerCustomer?: number;
  readonly profiles?: readonly BenchProfile[];
}): Generator<PortfolioRow> {
  const dueShare = options.dueShare ?? DUE_SHARE;
  const perCustomer = options.invoicesPerCustomer ?? INVOICES_PER_CUSTOMER;
  for (let number = 0; number < options.invoices; number += 1) {
    const customerNumber = Math.floor(number / perCustomer);
    const profile = profileOf(customerNumber, options.profiles);
    const due = number % dueShare === 0;
    const dueDate = due
      ? addDays(options.today, -(OVERDUE[Math.floor(number / dueShare) % OVERDUE.length] as number))
      : addDays(options.today, 5 + (number % 55));
    const customerId = `${options.prefix}-C${String(customerNumber).padStart(6, '0')}`;
    yield {
      invoice_id: benchInvoiceId(options.prefix, number),
      customer_id: customerId,
      customer_name: `Customer ${customerNumber}`,
      customer_email: `ap+${customerNumber}@customer-${customerNumber % 97}.example`,
      currency: profile.currency,
      amount_due: toMajorString(50_000 + ((number * 7919) % 2_000_000), profile.currency),
      issue_date: addDays(dueDate, -30),
      due_date: dueDate,
      customer_locale: profile.locale,
      customer_timezone: profile.zone,
    };
  }
}

/** The most recent Wednesday before today, 14:30 UTC: business hours for every bench customer. */
export const benchAsOf = (now = new Date()): Date => {
  const day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 14, 30));
  const back = (day.getUTCDay() - 3 + 7) % 7 || 7;
  day.setUTCDate(day.getUTCDate() - back);
  return day;
};
