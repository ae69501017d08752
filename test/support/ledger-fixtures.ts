import type { Invoice } from '../../functions/shared/domain/model.ts';

/**
 * An open invoice as the import leaves it, before any reminder or payment: each suite names only the
 * facts its case is about (id, amount, due date) and inherits the untouched dunning state from here.
 */
export const openInvoice = (
  facts: Pick<Invoice, 'invoiceId' | 'customerId' | 'currency' | 'amountDue' | 'dueDate'> & Partial<Invoice>,
): Invoice => ({
  invoiceNumber: facts.invoiceId,
  amountPaid: 0,
  amountReceived: 0,
  feesCharged: 0,
  status: 'open',
  claims: {},
  appliedEventIds: [],
  flags: [],
  version: 1,
  ...facts,
});
