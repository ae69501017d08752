import { UserInputError } from '../functions/shared/errors.ts';
import { isInjected } from '../test/support/faults.ts';
import type { Emulators, PostResult, Trial } from './harness.ts';
import { checkInvariants, InvariantViolation, type Model, type ModelInvoice } from './model.ts';

/**
 * What each model step does to the real system, and how it insists: a step that failed under an
 * injected fault is retried the way its caller would (the operator re-runs, the provider redelivers),
 * and only a clean failure is acceptable.
 */

export interface Real {
  readonly trial: Trial;
  readonly emulators: Emulators;
  readonly stats: { steps: number; cleanFailures: number; retriedDeliveries: number };
}

const ATTEMPTS = 6;

/** A failure is clean when an injected fault (or the race it caused) is what it comes down to. */
const isClean = (error: unknown): boolean => {
  for (let cause = error; cause; cause = (cause as { cause?: unknown }).cause) {
    if (isInjected(cause)) return true;
    const name = (cause as { name?: string }).name ?? '';
    if (['ConditionalCheckFailedException', 'TransientSendError'].includes(name)) return true;
    if (/throttl|timeout|reset|unavailable/i.test((cause as Error).message ?? '')) return true;
  }
  return false;
};

const withoutFaults = async <T>(real: Real, work: () => Promise<T>): Promise<T> => {
  const { plan } = real.trial;
  if (plan) plan.enabled = false;
  try {
    return await work();
  } finally {
    if (plan) plan.enabled = true;
  }
};

/** Runs an import or a run to completion: retried while faults hit it, then once on a healthy store. */
export const persist = async <T>(real: Real, label: string, work: () => Promise<T>): Promise<T> => {
  for (let attempt = 1; attempt <= ATTEMPTS && real.trial.plan; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (error instanceof UserInputError)
        throw new InvariantViolation(`${label}: a user error for valid input: ${error.message}`);
      if (!isClean(error))
        throw new InvariantViolation(
          `${label}: failed uncleanly: ${(error as Error).name}: ${(error as Error).message}`,
        );
      real.stats.cleanFailures += 1;
    }
  }
  return withoutFaults(real, work);
};

/**
 * Posts a signed delivery as a provider does: a 5xx is retried (and must be owed to a storage fault
 * that reached the adapter), any other non-2xx for a valid delivery is a violation.
 */
export const deliver = async (
  real: Real,
  delivery: { path: string; body: string; headers: Record<string, string> },
): Promise<PostResult> => {
  const { plan } = real.trial;
  for (let attempt = 1; attempt <= ATTEMPTS + 1; attempt++) {
    const surfaced = plan?.surfaced ?? 0;
    const post = () => real.trial.post(delivery.path, delivery.body, delivery.headers);
    const result = attempt > ATTEMPTS ? await withoutFaults(real, post) : await post();
    if (result.status >= 200 && result.status < 300) return result;
    if (result.status < 500)
      throw new InvariantViolation(
        `${delivery.path}: ${result.status} for a valid signed delivery: ${result.text}`,
      );
    if (!plan || plan.surfaced === surfaced)
      throw new InvariantViolation(
        `${delivery.path}: ${result.status} without a storage fault: ${result.text}`,
      );
    real.stats.retriedDeliveries += 1;
  }
  throw new InvariantViolation(`${delivery.path}: no 2xx even on a healthy store`);
};

/** Reads back every invoice and the mailbox through fault-free clients, then checks the model. */
export const verify = async (model: Model, real: Real): Promise<void> => {
  real.stats.steps += 1;
  const documents = new Map(
    await Promise.all(
      model.invoices
        .filter((invoice) => invoice.imported)
        .map(async (invoice) => [invoice.invoiceId, await real.trial.show(invoice.invoiceId)] as const),
    ),
  );
  checkInvariants(model, { documents, emails: await real.emulators.mailbox.emails() });
};

const money = (minor: number) => (minor / 100).toFixed(2);

const quote = (value: string) => (/[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

/** The model's invoices as the CSV a finance team would export (the import columns of docs/cli.md). */
export const importCsv = (model: Model, invoices: readonly ModelInvoice[]): string => {
  const rows = invoices.map((invoice) => {
    const customer = model.customers.find((candidate) => candidate.customerId === invoice.customerId);
    return {
      invoice_id: invoice.invoiceId,
      customer_id: invoice.customerId,
      customer_name: customer?.name ?? invoice.customerId,
      customer_email: `${invoice.customerId.toLowerCase()}@customer.example`,
      currency: 'EUR',
      amount_due: money(invoice.amountDue),
      due_date: invoice.dueDate,
      invoice_number: invoice.invoiceNumber,
      amount_paid: money(invoice.paidAtImport),
    };
  });
  const columns = Object.keys(rows[0] ?? {});
  const lines = rows.map((row) => Object.values(row).map(quote).join(','));
  return `${columns.join(',')}\n${lines.join('\n')}\n`;
};
