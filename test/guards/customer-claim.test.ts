import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerKey, invoiceKey, SKIP_PREFIX } from '../../functions/shared/adapters/dynamodb/keys.ts';
import { customerToItem } from '../../functions/shared/adapters/dynamodb/ledger-items.ts';
import { RunRecords } from '../../functions/shared/adapters/dynamodb/run-records.ts';
import type { Customer } from '../../functions/shared/domain/model.ts';
import { customer } from '../integration/run-support.ts';
import { startTestStore, type TestStore } from '../support/emulators.ts';

const AT = '2026-03-10T11:00:00.000Z';
const BOUNDARY = '2026-03-08T00:00:00.000Z';

/**
 * Guard: at most one email per customer per gap. The customer claim is one conditional UpdateItem on
 * the customer: the item exists, their last reminder lies before the gap's boundary (or was this
 * run's), and their standing (status, pause) still allows a reminder. Each case fails if one part of
 * that condition is dropped.
 */
describe('Guard: the customer claim', () => {
  let store: TestStore;
  let records: RunRecords;
  beforeAll(async () => {
    store = await startTestStore();
    records = new RunRecords(store.documentClient, store.tableName);
  });
  afterAll(() => store.stop());

  // The run read the customer as active; this is what the store holds by the time it claims them.
  const claimAgainst = async (stored: Customer, claimedBy?: string) => {
    const item = { ...customerToItem(stored), ...(claimedBy ? { reminderRunId: claimedBy } : {}) };
    await store.documentClient.send(new PutCommand({ TableName: store.tableName, Item: item }));
    return records.claimCustomer(customer(stored.customerId), AT, BOUNDARY, 'run-1');
  };

  it('claims an active customer with no reminder inside the gap', async () => {
    expect(await claimAgainst(customer('active-1'))).toEqual({});
  });

  it.each([
    ['paused until a later day in their zone', { pausedUntil: '2026-03-11' }],
    ['opted out', { status: 'opted_out' as const }],
    ['bounced', { status: 'bounced' as const }],
    ['disputed', { status: 'disputed' as const }],
  ])('refuses a customer %s after the run read them', async (_, standing) => {
    expect(await claimAgainst(customer(`held-${Object.values(standing)[0]}`, standing))).toBeUndefined();
  });

  it('claims a customer whose pause ended today in their zone', async () => {
    // 11:00 UTC on 10 March is already 10 March in Berlin: a pause until then is over.
    expect(await claimAgainst(customer('resumed-1', { pausedUntil: '2026-03-10' }))).toEqual({});
  });

  it('refuses a customer whose pause runs until a day that has begun in UTC but not yet in their zone', async () => {
    // 03:00 UTC on 10 March is still 9 March, 22:00, in New York: a pause until 10 March still holds.
    const paused = customer('paused-ny', { timeZone: 'America/New_York', pausedUntil: '2026-03-10' });
    await store.documentClient.send(
      new PutCommand({ TableName: store.tableName, Item: customerToItem(paused) }),
    );

    expect(
      await records.claimCustomer(paused, '2026-03-10T03:00:00.000Z', BOUNDARY, 'run-1'),
    ).toBeUndefined();
  });

  it('refuses a customer another run reminded inside the gap', async () => {
    // Reminded on 8 March at 09:00 Berlin time: not before the boundary (start of 8 March).
    const recent = customer('gap-1', { lastReminderAt: '2026-03-08T08:00:00.000Z' });

    expect(await claimAgainst(recent, 'run-0')).toBeUndefined();
  });

  it('refuses a customer reminded at the very instant the gap begins', async () => {
    // The boundary is the first instant of the first local day inside the gap: it lies in the gap.
    const atBoundary = customer('gap-edge', { lastReminderAt: BOUNDARY });

    expect(await claimAgainst(atBoundary, 'run-0')).toBeUndefined();
  });

  it('claims a customer whose last reminder lies before the boundary, keeping it for a release', async () => {
    const earlier = customer('gap-2', { lastReminderAt: '2026-03-07T22:59:00.000Z' });

    expect(await claimAgainst(earlier, 'run-0')).toEqual({ previousReminderAt: '2026-03-07T22:59:00.000Z' });
  });

  it('lets a retried invocation of the same run take its own claim again', async () => {
    const own = customer('gap-3', { lastReminderAt: AT });

    expect(await claimAgainst(own, 'run-1')).toEqual({ previousReminderAt: AT });
  });

  it('refuses a customer who is not in the store (never creates one)', async () => {
    expect(await records.claimCustomer(customer('nobody'), AT, BOUNDARY, 'run-1')).toBeUndefined();
    const { Item } = await store.documentClient.send(
      new GetCommand({ TableName: store.tableName, Key: customerKey('nobody') }),
    );
    expect(Item).toBeUndefined();
  });

  it('gives the customer back their previous reminder when the run releases its claim, and only then', async () => {
    const earlier = customer('gap-4', { lastReminderAt: '2026-03-01T10:00:00.000Z' });
    const claim = await claimAgainst(earlier);
    if (!claim) throw new Error('the claim must succeed');
    const read = async () =>
      (
        await store.documentClient.send(
          new GetCommand({ TableName: store.tableName, Key: customerKey('gap-4'), ConsistentRead: true }),
        )
      ).Item;

    await records.releaseCustomer(earlier, AT, 'run-2', claim);
    expect((await read())?.lastReminderAt).toBe(AT);

    await records.releaseCustomer(earlier, AT, 'run-1', claim);
    expect((await read())?.lastReminderAt).toBe('2026-03-01T10:00:00.000Z');
    expect((await read())?.reminderRunId).toBeUndefined();
  });

  it('records a failure beside the skips, and never creates an invoice that is no longer there', async () => {
    await records.recordFailure({
      invoiceId: 'I-gone',
      at: AT,
      runId: 'run-1',
      reason: 'Error: socket hang up',
    });

    const { Items = [] } = await store.documentClient.send(
      new QueryCommand({
        TableName: store.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': invoiceKey('I-gone').pk },
      }),
    );
    expect(Items.map((item) => [item.type, item.reason, item.detail])).toEqual([
      ['skip', 'failed', 'Error: socket hang up'],
    ]);
  });

  it('lets one run only send the hand-off digest of a run', async () => {
    expect(await records.claimDigest('run-digest')).toBe(true);
    expect(await records.claimDigest('run-digest')).toBe(false);
    expect(await records.claimDigest('run-other')).toBe(true);
  });

  it('keeps two skips of one invoice in one run when their reasons differ', async () => {
    const skip = { invoiceId: 'I-skip', at: AT, runId: 'run-1' };
    await records.recordSkip({ ...skip, reason: 'min_gap' });
    await records.recordSkip({ ...skip, reason: 'paused' });

    const { Items = [] } = await store.documentClient.send(
      new QueryCommand({
        TableName: store.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :skip)',
        ExpressionAttributeValues: { ':pk': invoiceKey('I-skip').pk, ':skip': SKIP_PREFIX },
      }),
    );
    expect(Items.map((item) => [item.type, item.reason]).sort()).toEqual([
      ['skip', 'min_gap'],
      ['skip', 'paused'],
    ]);
  });
});
