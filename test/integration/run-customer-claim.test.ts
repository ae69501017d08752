import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerToItem } from '../../functions/shared/adapters/dynamodb/ledger-items.ts';
import { RunRecords } from '../../functions/shared/adapters/dynamodb/run-records.ts';
import type { Customer } from '../../functions/shared/domain/model.ts';
import { startTestStore, type TestStore } from '../support/emulators.ts';
import { customer } from './run-support.ts';

const AT = '2026-03-10T11:00:00.000Z';
const BOUNDARY = '2026-03-08T00:00:00.000Z';

describe('Claiming a customer for a reminder', () => {
  let store: TestStore;
  let records: RunRecords;
  beforeAll(async () => {
    store = await startTestStore();
    records = new RunRecords(store.documentClient, store.tableName);
  });
  afterAll(() => store.stop());

  // The run read the customer as active; this is what the store holds by the time it claims them.
  const claimAgainst = async (stored: Customer) => {
    await store.documentClient.send(
      new PutCommand({ TableName: store.tableName, Item: customerToItem(stored) }),
    );
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
});
