import { ImportStore, type ImportStoreDeps } from '../adapters/dynamodb/import-store.ts';
import type { RollForwardPorts } from '../domain/import/ports.ts';
import { type RollForward, completePendingImports as rollForward } from '../domain/import/roll-forward.ts';
import { createPaymentRecorder } from './payments.ts';

/** The import's ports on the Ledger table: its staged import, and the payments waiting for invoices. */
export const rollForwardPorts = (deps: ImportStoreDeps): RollForwardPorts => {
  const recorder = createPaymentRecorder({
    documentClient: deps.client,
    tableName: deps.tableName,
    policy: deps.policy,
    defaultTimeZone: deps.defaultTimeZone ?? 'UTC',
    ...(deps.now ? { now: deps.now } : {}),
  });
  return {
    ledger: new ImportStore(deps),
    payments: {
      waitingInvoiceIds: async () =>
        (await recorder.unmatched.listAll()).flatMap((event) => event.invoiceId ?? []),
      applyWaitingFor: async (invoiceId) => {
        await recorder.applyUnmatchedPayments(invoiceId);
      },
    },
  };
};

/** Rolls forward every committed but unapplied import on the store (domain/import/roll-forward.ts). */
export const completePendingImports = (deps: ImportStoreDeps): Promise<RollForward> =>
  rollForward(rollForwardPorts(deps));
