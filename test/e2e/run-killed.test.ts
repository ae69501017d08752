import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ageOpenClaims, runToEnd } from '../../chaos/kill/harness.ts';
import { readInvoiceAudit } from '../../functions/shared/adapters/dynamodb/run-audit.ts';
import { showDocument } from '../../functions/shared/domain/run/audit.ts';
import { customer, invoice, SES_ACCOUNT, seed } from '../integration/run-support.ts';
import { startTestMailbox, startTestStore, type TestMailbox, type TestStore } from '../support/emulators.ts';
import { cliEnv } from './cli-process.ts';

/** Preloaded into the run process: it dies the instant SES accepted its first email. */
const CRASH_AFTER_SEND = new URL('../support/crash-after-send.mjs', import.meta.url).href;

describe('a dunning run process killed between the send and its record', () => {
  let store: TestStore;
  let mailbox: TestMailbox;
  let dataDir: string;

  beforeAll(async () => {
    [store, mailbox] = await Promise.all([startTestStore(), startTestMailbox({ account: SES_ACCOUNT })]);
    dataDir = await mkdtemp(join(tmpdir(), 'dunning-run-killed-'));
    await seed(
      store,
      [customer('k1')],
      [invoice('k1-a', 'k1', { dueDate: '2026-03-01' }), invoice('k1-b', 'k1', { dueDate: '2026-02-01' })],
    );
  });
  afterAll(async () => {
    await Promise.all([store.stop(), mailbox.stop(), rm(dataDir, { recursive: true, force: true })]);
  });

  const env = (extra: Record<string, string> = {}) =>
    cliEnv({
      DUNNING_DYNAMODB_PORT: String(store.port),
      DUNNING_SES_PORT: String(mailbox.port),
      DUNNING_TABLE_NAME: store.tableName,
      // The run keeps its opt-out secret in the data directory: not the working tree's .dunning/.
      DUNNING_DATA_DIR: dataDir,
      ...extra,
    });

  it('leaves the claims claimed, then flags them unknown_outcome once stale and never resends', async () => {
    // Prepare: a real run process that SIGKILLs itself the instant SES accepted the email.
    const killed = await runToEnd(
      ['run', '--as-of', '2026-03-10', '--json'],
      env({ NODE_OPTIONS: `--import ${CRASH_AFTER_SEND}` }),
    );
    const afterKill = await mailbox.emails();
    const claimsAfterKill = await Promise.all(
      ['k1-a', 'k1-b'].map(
        async (id) => (await readInvoiceAudit(store.documentClient, store.tableName, id))?.invoice,
      ),
    );

    expect(killed.signal, killed.stdout + killed.stderr).toBe('SIGKILL');
    expect(killed.stdout).toBe('');
    expect(afterKill).toHaveLength(1);
    expect(
      claimsAfterKill.map((bill) => Object.values(bill?.claims ?? {}).map((claim) => claim.status)),
    ).toEqual([['claimed'], ['claimed']]);

    // Act: the claims' staleness window passes; the next run comes.
    await ageOpenClaims(store.documentClient, store.tableName);
    const next = await runToEnd(['run', '--as-of', '2026-03-11', '--json'], env());

    // Assess: nothing more went out; both reminders are on record as unknown, for an operator.
    expect(next.code).toBe(0);
    expect(JSON.parse(next.stdout)).toMatchObject({ sent: 0, emails: 0, skipped: { unknown_outcome: 2 } });
    expect(await mailbox.emails()).toHaveLength(1);
    for (const id of ['k1-a', 'k1-b']) {
      const audit = await readInvoiceAudit(store.documentClient, store.tableName, id);
      const shown = audit && showDocument(audit);
      expect(shown?.reminders.map((reminder) => reminder.status)).toEqual(['unknown']);
      expect(shown?.skips.map((skip) => skip.reason)).toContain('unknown_outcome');
    }
  }, 30_000);
});
