import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentClient, createDynamoClient } from '../../functions/shared/adapters/dynamodb/client.ts';
import { ImportStore } from '../../functions/shared/adapters/dynamodb/import-store.ts';
import { itemSize } from '../../functions/shared/adapters/dynamodb/item-size.ts';
import { importStagedKey } from '../../functions/shared/adapters/dynamodb/keys.ts';
import { invoiceToItem } from '../../functions/shared/adapters/dynamodb/ledger-items.ts';
import { LedgerReader } from '../../functions/shared/adapters/dynamodb/ledger-reader.ts';
import { importFile } from '../../functions/shared/composition/import.ts';
import {
  type ImportedInvoice,
  importedInvoice,
  newInvoice,
} from '../../functions/shared/domain/import/records.ts';
import { validateRow } from '../../functions/shared/domain/import/row-schema.ts';
import { ITEM_BYTES } from '../../functions/shared/domain/import/store-limits.ts';
import type { PendingImport } from '../../functions/shared/domain/run/ports.ts';
import { loadPolicy } from '../../functions/shared/policy.ts';
import { startTestStore, type TestMailbox, type TestStore } from '../support/emulators.ts';
import { scratchFolder } from '../support/scratch-folder.ts';
import { buildRun } from './run-support.ts';

// The run here sends through a stub mailer: only its store matters to this suite.
const mailboxStub = { endpoint: { kind: 'local', url: 'http://127.0.0.1:1' } } as unknown as TestMailbox;

const exec = promisify(execFile);
const policy = loadPolicy();
const HEADER = 'invoice_id,customer_id,customer_name,customer_email,currency,amount_due,due_date,payment_url';
const good = (id: string) =>
  `${id},C-${id},Customer ${id},${id.toLowerCase()}@customer.example,EUR,120.00,2026-03-01,https://pay.example.com/${id}`;

/** The CLI as a new user runs it, against a suite's store: exit code and what it printed. */
const cliOn =
  (store: () => TestStore) =>
  async (...args: string[]) => {
    try {
      const { stdout } = await exec(process.execPath, ['cli/dunning.mjs', ...args], {
        env: {
          ...process.env,
          DUNNING_DYNAMODB_PORT: String(store().port),
          DUNNING_TABLE_NAME: store().tableName,
          DUNNING_TARGET: 'local',
          DUNNING_TIME_ZONE: 'UTC',
        },
      });
      return { code: 0, stdout };
    } catch (error) {
      const failed = error as { code: number; stdout: string };
      return { code: failed.code, stdout: failed.stdout };
    }
  };

/** One invoice as an import stages it, from a row that passed the row checks of its day. */
const stagedInvoice = (invoiceId: string, customerId: string) => {
  const checked = validateRow(
    {
      invoice_id: invoiceId,
      customer_id: customerId,
      customer_name: 'Stuck',
      customer_email: 'stuck@customer.example',
      currency: 'EUR',
      amount_due: '10.00',
      due_date: '2026-03-01',
    },
    { timeZone: 'UTC', paymentUrlTemplate: 'https://pay.example.com/{invoiceId}' },
  );
  if (!checked.ok) throw new Error('fixture row did not validate');
  return importedInvoice(checked.row, 'UTC');
};

/** An import committed with that one invoice, its roll-forward left to the next import or run. */
const commitImport = async (store: TestStore, importId: string, invoice: ImportedInvoice) => {
  const importStore = new ImportStore({ client: store.documentClient, tableName: store.tableName, policy });
  await importStore.begin(importId, `${importId}.csv`, 1);
  await importStore.stage(importId, [{ part: 'INVOICE', row: 2, invoice }]);
  await importStore.commit(importId, { invoices: 1, customers: 0 });
};

describe('Import: nothing the store cannot hold gets in, and a failed roll-forward blocks nothing', () => {
  let store: TestStore;
  const folder = scratchFolder('dunning-import-limits-');
  beforeAll(async () => {
    store = await startTestStore();
  });
  afterAll(() => store.stop());

  const cli = cliOn(() => store);
  const dunning = async (...args: string[]) => {
    const { code, stdout } = await cli(...args);
    return { code, document: JSON.parse(stdout) };
  };
  const csv = async (name: string, lines: string[]) => {
    return folder.write(name, `${[HEADER, ...lines].join('\n')}\n`);
  };
  const reader = () => new LedgerReader(store.documentClient, store.tableName);

  it('refuses a file with an oversized address, id or a plain-http link, naming row, column and limit, writing nothing', async () => {
    const file = await csv('hostile.csv', [
      good('A-1'),
      `A-2,C-2,Customer 2,${'a'.repeat(2090)}@example.com,EUR,10.00,2026-03-01,`,
      `${'é'.repeat(200)}X,C-3,Customer 3,c3@customer.example,EUR,10.00,2026-03-01,`,
      // 200 three-byte characters (600 bytes) fit every key they are kept in: accepted.
      `A-4,${'€'.repeat(200)},Customer 4,c4@customer.example,EUR,10.00,2026-03-01,`,
      'A-5,C-5,Customer 5,c5@customer.example,EUR,10.00,2026-03-01,http://pay.example.com/A-5',
      'A-6,C-6,Customer 6,c6@customer.example,EUR,10.00,2026-03-01,javascript:alert(1)',
      `A-7,C-7,Customer 7,c7@customer.example,EUR,10.00,2026-03-01,https://pay.example.com/${'x'.repeat(2100)}`,
      'A-8,C-8,Customer 8,c8@customer.example,EUR,10.00,2026-03-01,http://localhost:3000/pay/A-8',
    ]);
    const { code, document } = await dunning('import', file, '--json');

    expect(code).toBe(1);
    const reasons = document.errors.map((error: { row: number; column: string; reason: string }) => [
      error.row,
      error.column,
      error.reason,
    ]);
    expect(reasons).toEqual([
      [3, 'customer_email', 'longer than 254 characters, the most an address may have (RFC 5321)'],
      [4, 'invoice_id', 'longer than 200 characters'],
      [6, 'payment_url', 'plain http is only allowed for localhost; customers pay through https'],
      [7, 'payment_url', 'expected an https URL such as "https://pay.example.com/INV-1"'],
      [8, 'payment_url', 'longer than 2048 characters'],
    ]);
    expect(await reader().getInvoice('A-1')).toBeUndefined();
  });

  it('reports a committed import that cannot be completed by its id, and lets later imports and runs go on', async () => {
    // Committed, then its roll-forward meets a store that refuses its invoice's write every time.
    await commitImport(store, 'stuck', stagedInvoice('STUCK-1', 'C-N-1'));
    const raw = createDynamoClient(store.endpoint);
    raw.middlewareStack.add(
      (next) => async (args) => {
        const input = JSON.stringify(args.input);
        if (input.includes('"INVOICE#STUCK-1"') && !/"KeyConditionExpression"|"ConsistentRead"/.test(input))
          throw Object.assign(new Error('Item size has exceeded the maximum allowed size'), {
            name: 'ValidationException',
            $metadata: { httpStatusCode: 400 },
          });
        return next(args);
      },
      { step: 'initialize', name: 'refuseStuckInvoice' },
    );
    const refusing = createDocumentClient(raw);
    const deps = {
      client: refusing,
      tableName: store.tableName,
      policy,
      defaultTimeZone: 'UTC',
      defaults: { timeZone: 'UTC', paymentUrlTemplate: 'https://pay.example.com/{invoiceId}' },
    };

    const next = await importFile(deps, await csv('next.csv', [good('N-1')]));
    expect(next.invoices.new).toBe(1);
    expect(next.warnings).toEqual([
      'an earlier import (stuck) committed but could not be completed: ValidationException: Item size has exceeded the maximum allowed size; see "dunning import --status"',
    ]);
    const reported: PendingImport[] = [];
    const { run, close } = buildRun({ ...store, documentClient: refusing }, mailboxStub, {
      events: { customerFailed: () => undefined, importsPending: (pending) => reported.push(...pending) },
      mailer: { send: async () => ({ messageId: 'm-1' }) },
    });
    const outcome = await run.run({ asOf: new Date('2026-03-10T12:00:00Z') });
    close();
    raw.destroy();
    expect(outcome.summary).toMatchObject({ considered: 1, sent: 1, failed: 0 });
    const pending = [
      { importId: 'stuck', reason: 'ValidationException: Item size has exceeded the maximum allowed size' },
    ];
    expect(reported).toEqual(pending);
    expect(outcome.pendingImports).toEqual(pending);

    const status = await dunning('import', '--status', '--json');
    expect(status).toEqual({
      code: 0,
      document: {
        imports: [
          expect.objectContaining({
            importId: 'stuck',
            file: 'stuck.csv',
            status: 'failed',
            error: 'ValidationException: Item size has exceeded the maximum allowed size',
            failedAttempts: 2,
          }),
        ],
      },
    });
  });
});

describe('dunning run with a committed import the store refuses to complete', () => {
  let store: TestStore;
  beforeAll(async () => {
    store = await startTestStore();
  });
  afterAll(() => store.stop());

  const dunningRun = cliOn(() => store).bind(undefined, 'run');

  it('names the import and why in its summary, and still exits 0', async () => {
    // Staged and committed by an import from before the item-size check: its staged row fits the store,
    // the invoice item it becomes (keys, index keys, dunning fields) is over DynamoDB's 400 KB item.
    const invoice = {
      ...stagedInvoice('HUGE-1', 'C-H-1'),
      paymentUrl: `https://pay.example.com/${'x'.repeat(409_240)}`,
    };
    const staged = {
      ...importStagedKey('huge', 'INVOICE', 2),
      type: 'import-staged',
      invoice,
      expiresAt: 2e9,
    };
    const applied = { ...invoiceToItem(newInvoice(invoice, policy)), importHash: invoice.importHash };
    expect(itemSize(staged)).toBeLessThan(ITEM_BYTES - 50);
    expect(itemSize(applied)).toBeGreaterThan(ITEM_BYTES + 50);
    await commitImport(store, 'huge', invoice);
    const reason = 'ValidationException: Item size has exceeded the maximum allowed size';

    const json = await dunningRun('--as-of', '2026-03-10', '--json');
    const text = await dunningRun('--as-of', '2026-03-10');

    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      failed: 0,
      pendingImports: [{ importId: 'huge', reason }],
    });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(
      `  ! import huge committed but not completed: ${reason}; the run went on without it (see "dunning import --status")`,
    );
  });
});
