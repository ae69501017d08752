import { loadTemplates } from '../../functions/shared/adapters/templates/file-templates.ts';
import type { Customer, Invoice } from '../../functions/shared/domain/model.ts';
import { type Policy, parsePolicy, type Stage } from '../../functions/shared/domain/policy.ts';
import { reminderLine } from '../../functions/shared/domain/reminder/line.ts';
import type { ReminderInput, ReminderLine } from '../../functions/shared/domain/reminder/types.ts';
import { openInvoice } from '../support/ledger-fixtures.ts';

/** Shared facts for the reminder tests: a policy of their own (the repo's may change), one customer. */

export const policy: Policy = parsePolicy(
  {
    minimumGapDays: 3,
    stages: [
      { name: 'courtesy', offsetDays: -3, tone: 'friendly', template: 'courtesy' },
      { name: 'first', offsetDays: 1, tone: 'friendly', template: 'reminder' },
      { name: 'second', offsetDays: 14, tone: 'firm', template: 'reminder' },
      {
        name: 'third',
        offsetDays: 30,
        tone: 'firm',
        template: 'reminder',
        fee: { flat: { EUR: '15.00', JPY: '2000', KWD: '5.000', USD: '15.00' } },
      },
      {
        name: 'final',
        offsetDays: 45,
        tone: 'final',
        template: 'final',
        fee: { percentBasisPoints: 150 },
        handOff: true,
      },
    ],
    company: {
      name: 'Northwind Supplies Ltd',
      contactEmail: 'accounts@northwind.example',
      contactPhone: '+44 20 7946 0958',
      paymentTerms: {
        en: 'Our payment terms are 30 days net from the invoice date.',
        de: 'Unsere Zahlungsbedingungen: 30 Tage netto ab Rechnungsdatum.',
        fr: 'Nos conditions de paiement sont de 30 jours net à compter de la date de facture.',
        es: 'Nuestras condiciones de pago son de 30 días netos desde la fecha de la factura.',
        ja: 'お支払い条件は、請求書発行日から30日以内となっております。',
      },
      bankTransfer: {
        accountName: 'Northwind Supplies Ltd',
        iban: 'GB33BUKB20201555555555',
        bic: 'BUKBGB22',
      },
    },
    collections: {
      name: 'Collections desk',
      email: 'collections@northwind.example',
      phone: '+44 20 7946 0959',
    },
  },
  'test policy',
);

export const stage = (name: string): Stage => {
  const found = policy.stages.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no stage ${name}`);
  return found;
};

/** 11:00 in Berlin on a Friday. */
export const NOW = new Date('2026-03-20T10:00:00Z');
export const UNSUBSCRIBE_URL = 'https://dunning.example/unsubscribe/c-1';
export const PAYMENT_URL_TEMPLATE = 'https://pay.example.com/invoices/{invoiceId}';

export const templates = loadTemplates();

export const customer = (overrides: Partial<Customer> = {}): Customer => ({
  customerId: 'c-1',
  name: 'Acme Trading',
  email: 'ap@acme.example',
  locale: 'en-US',
  timeZone: 'Europe/Berlin',
  status: 'active',
  ...overrides,
});

export const invoice = (overrides: Partial<Invoice> = {}): Invoice =>
  openInvoice({
    invoiceId: 'inv-1042',
    invoiceNumber: 'INV-1042',
    customerId: 'c-1',
    currency: 'EUR',
    amountDue: 123450,
    issueDate: '2026-01-15',
    dueDate: '2026-03-06',
    ...overrides,
  });

/** The due date at which `stageName` is exactly reached on NOW (Berlin calendar). */
export const dueDateFor = (stageName: string): string => {
  const offset = stage(stageName).offsetDays;
  const date = new Date(Date.UTC(2026, 2, 20 - offset));
  return date.toISOString().slice(0, 10);
};

export const line = (
  stageName: string,
  invoiceOverrides: Partial<Invoice> = {},
  who = customer(),
): ReminderLine =>
  reminderLine({
    invoice: invoice({ dueDate: dueDateFor(stageName), ...invoiceOverrides }),
    customer: who,
    stage: stage(stageName),
    now: NOW,
    paymentUrlTemplate: PAYMENT_URL_TEMPLATE,
  });

export const input = (who: Customer, lines: readonly ReminderLine[]): ReminderInput => ({
  customer: who,
  lines,
  policy,
  now: NOW,
  unsubscribeUrl: UNSUBSCRIBE_URL,
});
