import { writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ImportStore } from '../../functions/shared/adapters/dynamodb/import-store.ts';
import { LedgerReader } from '../../functions/shared/adapters/dynamodb/ledger-reader.ts';
import { completePendingImports, importFile } from '../../functions/shared/composition/import.ts';
import { UserInputError } from '../../functions/shared/errors.ts';
import { policy } from '../integration/run-support.ts';
import { startTestStore, type TestStore } from '../support/emulators.ts';
import { importDefaults as defaults, importCsv, stagedRows } from '../support/import-fixtures.ts';
import { scratchFolder } from '../support/scratch-folder.ts';

/**
 * Guard: an import is all or nothing. Its rows are staged out of sight and one conditional write (the
 * commit) makes them happen; what is committed cannot be reopened until it is applied, and a file
 * that is not the one validated is never committed. Each case fails if that part is dropped.
 */

describe('Guard: the import commit', () => {
  const folder = scratchFolder('dunning-import-commit-');
  let store: TestStore;
  let deps: { client: TestStore['documentClient']; tableName: string; policy: typeof policy };
  beforeEach(async () => {
    store = await startTestStore();
    deps = { client: store.documentClient, tableName: store.tableName, policy };
  });
  afterEach(() => store.stop());

  const reader = () => new LedgerReader(store.documentClient, store.tableName);

  it('refuses a file that changed between its validation and its staging, committing nothing', async () => {
    const path = await folder.write('edited.csv', importCsv('IC-1', '120.00'));
    // Someone saves the file again the moment the validation pass has read all of it.
    const editAfterValidation = (phase: string, done: number, total: number) => {
      if (phase === 'validating' && done === total) writeFileSync(path, importCsv('IC-1', '999.00'));
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
    await imports.stage('same-file', stagedRows('IC-2'));
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
