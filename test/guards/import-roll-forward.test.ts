import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDocumentClient, createDynamoClient } from '../../functions/shared/adapters/dynamodb/client.ts';
import { ImportStore } from '../../functions/shared/adapters/dynamodb/import-store.ts';
import { LedgerReader } from '../../functions/shared/adapters/dynamodb/ledger-reader.ts';
import { completePendingImports, importFile } from '../../functions/shared/composition/import.ts';
import { UserInputError } from '../../functions/shared/errors.ts';
import { buildRun, policy, recordingMailer } from '../integration/run-support.ts';
import { startTestStore, type TestStore } from '../support/emulators.ts';
import { importDefaults as defaults, importCsv, stagedRows as staged } from '../support/import-fixtures.ts';
import { scratchFolder } from '../support/scratch-folder.ts';

/**
 * Guard: all or nothing, also across a crash. An import killed after its commit has its rows staged
 * but not laid onto the ledger; the next dunning run and the next import roll it forward before they
 * read anything, so neither ever works on half an import. A dry run writes nothing, that included.
 */

// Tuesday 3 March 2026, 11:00 UTC: stage `first` of an invoice due on 1 March, in business hours.
const AS_OF = new Date('2026-03-03T11:00:00Z');

describe('Guard: the roll-forward of committed imports', () => {
  const folder = scratchFolder('dunning-roll-forward-');
  let store: TestStore;
  let deps: { client: TestStore['documentClient']; tableName: string; policy: typeof policy };
  beforeEach(async () => {
    store = await startTestStore();
    deps = { client: store.documentClient, tableName: store.tableName, policy };
    // An importer killed right after its commit: staged, committed, nothing applied.
    const imports = new ImportStore(deps);
    await imports.begin('crashed', 'crashed.csv', 1);
    await imports.stage('crashed', staged('RF-1'));
    await imports.commit('crashed', { invoices: 1, customers: 1 });
  });
  afterEach(() => store.stop());

  const reader = () => new LedgerReader(store.documentClient, store.tableName);
  const status = async () => (await new ImportStore(deps).getRecord('crashed'))?.status;

  const csv = (name: string, invoiceId: string) => folder.write(name, importCsv(invoiceId));

  it('leaves a committed import invisible until something rolls it forward', async () => {
    expect(await reader().getInvoice('RF-1')).toBeUndefined();
    expect(await status()).toBe('committed');
  });

  it('is rolled forward once: a second roll-forward finds nothing to do', async () => {
    expect((await completePendingImports(deps)).completed).toEqual(['crashed']);
    expect(await completePendingImports(deps)).toEqual({ completed: [], failed: [] });
    expect(await status()).toBe('applied');
    expect((await reader().getInvoice('RF-1'))?.version).toBe(1);
  });

  it('is rolled forward by the next dunning run, which then reminds its invoices', async () => {
    const { run, close } = buildRun(
      store,
      { endpoint: { kind: 'local', url: 'http://127.0.0.1:9' } },
      {
        mailer: { send: async () => ({ messageId: 'm-1' }) },
      },
    );

    const { summary } = await run.run({ asOf: AS_OF });
    close();

    expect(await status()).toBe('applied');
    expect((await reader().getInvoice('RF-1'))?.amountDue).toBe(120_00);
    expect(summary).toMatchObject({ considered: 1, sent: 1 });
  });

  it('is not touched by a dry run of the dunning run, which sees the ledger as it stands', async () => {
    const { mailer, sent } = recordingMailer();
    const { run, close } = buildRun(
      store,
      { endpoint: { kind: 'local', url: 'http://127.0.0.1:9' } },
      { mailer },
    );

    const { summary } = await run.run({ asOf: AS_OF, dryRun: true });
    close();

    expect(await status()).toBe('committed');
    expect(await reader().getInvoice('RF-1')).toBeUndefined();
    expect(summary).toMatchObject({ considered: 0, sent: 0 });
    expect(sent).toEqual([]);
  });

  it('is rolled forward by the next import, before that import compares its rows', async () => {
    await importFile({ ...deps, defaults }, await csv('next.csv', 'RF-2'));

    expect(await status()).toBe('applied');
    expect((await reader().getInvoice('RF-1'))?.amountDue).toBe(120_00);
    expect((await reader().getCustomer('C-RF-1'))?.name).toBe('Customer RF-1');
    expect((await reader().getInvoice('RF-2'))?.amountDue).toBe(120_00);
  });

  it("fails a re-import whose own committed attempt cannot be completed with that failure, not another import's", async () => {
    // The connection drops on every write to invoice RF-4 (reads and staging go through), as a
    // network fault that lasts a while: the first attempt commits, then cannot apply.
    const raw = createDynamoClient(store.endpoint);
    raw.middlewareStack.add(
      (next) => async (args) => {
        const input = JSON.stringify(args.input);
        if (input.includes('"INVOICE#RF-4"') && !/"ConsistentRead"/.test(input))
          throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
        return next(args);
      },
      { step: 'initialize', name: 'dropInvoiceWrites' },
    );
    const failing = { ...deps, client: createDocumentClient(raw), defaults };
    const file = await csv('retried.csv', 'RF-4');
    await expect(importFile(failing, file)).rejects.toThrow(/socket hang up/);

    // The operator runs the same file again while the fault lasts: this file is the pending import.
    const again = importFile(failing, file);
    await expect(again).rejects.toThrow(
      /retried\.csv: an earlier attempt at this file committed but could not be completed \(Error: socket hang up\); run the import again$/,
    );
    await expect(again).rejects.not.toBeInstanceOf(UserInputError);
    raw.destroy();

    // Once the store is healthy, the same file completes what was committed.
    await importFile({ ...deps, defaults }, file);
    expect((await reader().getInvoice('RF-4'))?.amountDue).toBe(120_00);
  });

  it('is not touched by a dry run of an import', async () => {
    await importFile({ ...deps, defaults }, await csv('dry.csv', 'RF-3'), { dryRun: true });

    expect(await status()).toBe('committed');
    expect(await reader().getInvoice('RF-1')).toBeUndefined();
  });
});
