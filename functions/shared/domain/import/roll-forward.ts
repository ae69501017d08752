import { failureReason } from '../run/failure.ts';
import type { ImportPart, RollForwardPorts } from './ports.ts';

/** Customers first: an invoice laid onto the ledger finds its customer's zone and address there. */
const APPLY_ORDER: readonly ImportPart[] = ['CUSTOMER', 'INVOICE'];

/**
 * Applies a committed import: its staged customers, then its invoices, then the payments that were
 * waiting for those invoices; marks it applied last, so a crash anywhere before leaves it pending and
 * the next roll-forward finishes it. `onApplied` hears the invoices applied, page by page.
 */
export const applyCommittedImport = async (
  ports: RollForwardPorts,
  importId: string,
  onApplied?: (count: number) => void,
): Promise<void> => {
  for (const part of APPLY_ORDER)
    await ports.ledger.applyStaged(importId, part, part === 'INVOICE' ? onApplied : undefined);
  const waiting = new Set(await ports.payments.waitingInvoiceIds());
  for (const invoiceId of waiting) await ports.payments.applyWaitingFor(invoiceId);
  await ports.ledger.markApplied(importId);
};

export interface RollForward {
  readonly completed: readonly string[];
  readonly failed: readonly { readonly importId: string; readonly reason: string; readonly error: unknown }[];
}

/**
 * Rolls forward every import that was committed but not applied (its importer crashed after the
 * commit). A dunning run calls this before it reads the due index, and so does every import, so
 * no one works on half an import that can be finished. Each import is rolled forward on its own:
 * one that fails is recorded (its id and reason, shown by `dunning import --status`) and retried
 * next time, and never stops the others, the run or the new import. Safe to run concurrently with
 * an importer.
 */
export const completePendingImports = async (ports: RollForwardPorts): Promise<RollForward> => {
  const completed: string[] = [];
  const failed: RollForward['failed'][number][] = [];
  for (const importId of await ports.ledger.pendingImportIds()) {
    try {
      await applyCommittedImport(ports, importId);
      completed.push(importId);
    } catch (error) {
      const reason = failureReason(error);
      failed.push({ importId, reason, error });
      await ports.ledger.recordRollForwardFailure(importId, reason).catch(() => undefined);
    }
  }
  return { completed, failed };
};
