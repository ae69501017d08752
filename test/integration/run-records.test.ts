import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readInvoiceAudit } from '../../functions/shared/adapters/dynamodb/run-audit.ts';
import { DynamoRunJournal } from '../../functions/shared/adapters/dynamodb/run-journal.ts';
import { runEntry } from '../../functions/shared/domain/run/run-record.ts';
import type { TestMailbox, TestStore } from '../support/emulators.ts';
import { startTestMailbox, startTestStore } from '../support/emulators.ts';
import { buildRun, customer, invoice, SES_ACCOUNT, seed } from './run-support.ts';

// A Tuesday, 13:00 in Berlin: inside business hours for the default customers.
const asOf = new Date('2026-03-10T12:00:00Z');

describe('Run records and repeated deliveries', () => {
  let mailbox: TestMailbox;
  let store: TestStore;

  beforeAll(async () => {
    mailbox = await startTestMailbox({ account: SES_ACCOUNT });
  });
  afterAll(async () => {
    await mailbox.stop();
  });
  beforeEach(async () => {
    store = await startTestStore();
    await mailbox.clear();
  });
  afterEach(() => store.stop());

  const journal = () => new DynamoRunJournal(store.documentClient, store.tableName);
  const runs = async () => (await journal().latest(10)).map((record) => runEntry(record, new Date()));
  const audit = (invoiceId: string) => readInvoiceAudit(store.documentClient, store.tableName, invoiceId);

  it('leaves one record per run, newest first, with its status and summary; a dry run leaves none', async () => {
    await seed(store, [customer('c1'), customer('c2')], [invoice('a1', 'c1'), invoice('b1', 'c2')]);
    const { run, close } = buildRun(store, mailbox, { concurrency: 1, continueLater: async () => {} });
    await run.run({ asOf, dryRun: true });
    expect(await runs()).toEqual([]);

    const first = await run.run({
      asOf,
      trigger: 'daily',
      timeLeft: (() => {
        let groups = 0;
        return () => (groups++ < 1 ? 1 : 0);
      })(),
    });
    expect(first.done).toBe(false);
    expect(await runs()).toEqual([
      expect.objectContaining({
        runId: first.runId,
        status: 'continuing',
        finishedAt: null,
        sent: 1,
        trigger: 'daily',
      }),
    ]);
    const rest = await run.resume(first.runId);
    const second = await run.run({ asOf: new Date('2026-03-10T12:05:00Z') });
    close();

    const listed = await runs();
    expect(listed.map((entry) => [entry.runId, entry.status])).toEqual([
      [second.runId, 'done'],
      [rest.runId, 'done'],
    ]);
    expect(listed[1]).toEqual({
      runId: first.runId,
      trigger: 'continue',
      asOf: '2026-03-10T12:00:00.000Z',
      startedAt: expect.any(String),
      finishedAt: expect.any(String),
      status: 'done',
      considered: 2,
      sent: 2,
      emails: 2,
      deferred: 0,
      skipped: expect.objectContaining({ unknown_outcome: 0 }),
      failed: 0,
      unknownOutcome: 0,
    });
    expect(Date.parse(listed[1]?.finishedAt ?? '')).toBeGreaterThanOrEqual(
      Date.parse(listed[1]?.startedAt ?? ''),
    );
  });

  it('sends once and flags nothing when the same deferral is delivered twice at once', async () => {
    await seed(store, [customer('c1')], [invoice('a1', 'c1'), invoice('a2', 'c1')]);
    const first = buildRun(store, mailbox);
    const second = buildRun(store, mailbox);
    const [one, two] = await Promise.all([
      first.run.runDeferred('c1', 'run-parent', { asOf }),
      second.run.runDeferred('c1', 'run-parent', { asOf }),
    ]);
    first.close();
    second.close();

    expect([one.duplicate ?? false, two.duplicate ?? false].sort()).toEqual([false, true]);
    const worked = one.duplicate ? two : one;
    expect(worked.summary).toMatchObject({ sent: 2, emails: 1, failed: 0 });
    expect(worked.summary.skipped.unknown_outcome).toBe(0);
    expect(await mailbox.emails()).toHaveLength(1);
    for (const id of ['a1', 'a2']) {
      const trail = await audit(id);
      expect(Object.values(trail?.invoice.claims ?? {}).map((claim) => claim.status)).toEqual(['sent']);
      expect(trail?.skips).toEqual([]);
    }
    // Delivered once more, later: the deferral is done, it sends nothing.
    const late = buildRun(store, mailbox);
    expect((await late.run.runDeferred('c1', 'run-parent', { asOf })).duplicate).toBe(true);
    late.close();
    expect(await runs()).toEqual([
      expect.objectContaining({
        runId: 'run-parent/c1',
        status: 'done',
        trigger: 'deferred',
        customerId: 'c1',
        sent: 2,
      }),
    ]);
  });

  it('works a continuing part once when its invocation is delivered twice at once', async () => {
    const ids = ['c1', 'c2', 'c3'];
    await seed(
      store,
      ids.map((id) => customer(id)),
      ids.map((id) => invoice(`i-${id}`, id)),
    );
    const { run, close } = buildRun(store, mailbox, { concurrency: 1, continueLater: async () => {} });
    const first = await run.run({
      asOf,
      timeLeft: (() => {
        let groups = 0;
        return () => (groups++ < 1 ? 1 : 0);
      })(),
    });
    const other = buildRun(store, mailbox, { concurrency: 1 });
    const [one, two] = await Promise.all([run.resume(first.runId), other.run.resume(first.runId)]);
    close();
    other.close();

    expect([one.duplicate ?? false, two.duplicate ?? false].sort()).toEqual([false, true]);
    expect((one.duplicate ? two : one).summary).toMatchObject({ considered: 3, sent: 3, emails: 3 });
    expect(await mailbox.emails()).toHaveLength(3);
    for (const id of ids) expect((await audit(`i-${id}`))?.skips).toEqual([]);
  });

  it('shows a run whose invocation died as failed, and lets a retry take it', async () => {
    const record = {
      runId: 'run-dead',
      trigger: 'daily' as const,
      scope: { kind: 'all' as const },
      asOf: asOf.toISOString(),
      startedAt: '2026-03-10T12:00:00.000Z',
      status: 'running' as const,
      summary: {
        asOf: asOf.toISOString(),
        dryRun: false,
        considered: 0,
        sent: 0,
        deferred: 0,
        skipped: {},
        failed: 0,
        emails: 0,
      },
      leaseUntil: new Date(Date.now() - 1000).toISOString(),
    };
    expect(
      await journal().begin({ ...record, leaseUntil: new Date(Date.now() + 60_000).toISOString() }),
    ).toBe(true);
    expect(await journal().begin(record)).toBe(false);
    // Left as a dead holder leaves it: running, its hold lapsed.
    await store.documentClient.send(
      new UpdateCommand({
        TableName: store.tableName,
        Key: { pk: 'RUN#run-dead', sk: 'RUN' },
        UpdateExpression: 'SET leaseUntil = :past',
        ExpressionAttributeValues: { ':past': record.leaseUntil },
      }),
    );
    expect(await runs()).toEqual([
      expect.objectContaining({
        runId: 'run-dead',
        status: 'failed',
        error: 'its invocation ended before it finished',
      }),
    ]);
    expect(
      await journal().begin({ ...record, leaseUntil: new Date(Date.now() + 60_000).toISOString() }),
    ).toBe(true);
  });
});
