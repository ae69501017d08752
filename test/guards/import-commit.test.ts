import { writeFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ImportStore, type StagedRow } from '../../functions/shared/adapters/dynamodb/import-store.ts';
import { LedgerReader } from '../../functions/shared/adapters/dynamodb/ledger-reader.ts';
import { completePendingImports, importFile } from '../../functions/shared/composition/import.ts';
import { importedCustomer, importedInvoice } from '../../functions/shared/domain/import/records.ts';
import { validateRow } from '../../functions/shared/domain/import/row-schema.ts';
import { UserInputError } from '../../functions/shared/errors.ts';
import { policy } from '../integration/run-support.ts';
import { startTestStore, type TestStore } from '../support/emulators.ts';

/**
 * Guard: an import is all or nothing. Its rows are staged out of sight and one conditional write (the
 * commit) makes them happen; what is committed cannot be reopened until it is applied, and a file
 * that is not the one validated is never committed. Each case fails if that part is dropped.
 */

const defaults = { timeZone: 'UTC', paymentUrlTemplate: 'https://pay.example.com/invoices/{invoiceId}' };
const header = 'invoice_id,customer_id,customer_name,customer_email,currency,amount_due,due_date';
const line = (invoiceId: string, amount: string) =>
  `${invoiceId},C-${invoiceId},Customer ${invoiceId},${invoiceId.toLowerCase()}@customer.example,EUR,${amount},2026-03-01`;

const staged = (invoiceId: string): StagedRow[] => {
  const result = validateRow(
    {
      invoice_id: invoiceId,
      customer_id: `C-${invoiceId}`,
      customer_name: `Customer ${invoiceId}`,
      customer_email: `${invoiceId.toLowerCase()}@customer.example`,
      currency: 'EUR',
      amount_due: '120.00',
      due_date: '2026-03-01',
    },
    defaults,
  );
  if (!result.ok) throw new Error(`row ${invoiceId} did not validate`);
  return [
    { part: 'CUSTOMER', row: 2, customer: importedCustomer(result.row) },
    { part: 'INVOICE', row: 2, invoice: importedInvoice(result.row, result.row.timeZone) },
  ];
};

describe('Guard: the import commit', () => {
  let store: TestStore;
  let folder: string;
  let deps: { client: TestStore['documentClient']; tableName: string; policy: typeof policy };
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'dunning-import-commit-'));
  });
  afterAll(() => rm(folder, { recursive: true, force: true }));
  beforeEach(async () => {
    store = await startTestStore();
    deps = { client: store.documentClient, tableName: store.tableName, policy };
  });
  afterEach(() => store.stop());

  const reader = () => new LedgerReader(store.documentClient, store.tableName);

  it('refuses a file that changed between its validation and its staging, committing nothing', async () => {
    const path = join(folder, 'edited.csv');
    await writeFile(path, `${header}\n${line('IC-1', '120.00')}\n`);
    // Someone saves the file again the moment the validation pass has read all of it.
    const editAfterValidation = (phase: string, done: number, total: number) => {
      if (phase === 'validating' && done === total)
        writeFileSync(path, `${header}\n${line('IC-1', '999.00')}\n`);
    };

    await expect(importFile({ ...deps, defaults, onProgress: editAfterValidation }, path)).rejects.toThrow(
      new UserInputError(`${path}: changed while it was being imported; nothing was imported`),
    );

    expect(await reader().getInvoice('IC-1')).toBeUndefined();
    expect(await new ImportStore(deps).pendingImports()).toEqual([]);
    expect(await completePendingImports(deps)).toEqual({ completed: [], failed: [] });
  });

  it('never reopens an import committed but not yet applied: its rows stay pending for the roll-forward', async () => {
    const imports = new ImportStore(deps);
    await imports.begin('same-file', 'same.csv', 1);
    await imports.stage('same-file', staged('IC-2'));
    await imports.commit('same-file', { invoices: 1, customers: 1 });

    // A second importer of the same file, arriving while the first one applies it.
    await expect(imports.begin('same-file', 'same.csv', 1)).rejects.toThrow(
      new UserInputError('same.csv: the same file is being applied by another import right now; try again'),
    );

    expect((await imports.getRecord('same-file'))?.status).toBe('committed');
    expect((await completePendingImports(deps)).completed).toEqual(['same-file']);
    expect((await reader().getInvoice('IC-2'))?.amountDue).toBe(120_00);
  });
});
