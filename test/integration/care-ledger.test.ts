import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoCareLedger } from '../../functions/shared/adapters/dynamodb/customer-care-store.ts';
import {
  BOUNCE,
  changesStanding,
  isHeldBack,
  OPT_OUT,
} from '../../functions/shared/domain/customer-care/rules.ts';
import type { Customer, CustomerStatus } from '../../functions/shared/domain/model.ts';
import { startTestStore, type TestStore } from '../support/emulators.ts';
import { customer, seed } from './run-support.ts';

const STATUSES: readonly CustomerStatus[] = ['active', 'opted_out', 'bounced', 'disputed'];

/** The adapter's conditional writes hold exactly the rules of domain/customer-care/rules.ts. */
describe('Customer care ledger on DynamoDB', () => {
  let store: TestStore;
  let ledger: DynamoCareLedger;
  beforeAll(async () => {
    store = await startTestStore();
    ledger = new DynamoCareLedger(store.documentClient, store.tableName);
  });
  afterAll(() => store?.stop());

  it.each([
    ['an opt-out', OPT_OUT],
    ['a bounce', BOUNCE],
  ] as const)('sets %s exactly over the standings the rule lets it replace', async (name, change) => {
    const people = STATUSES.map((status) => customer(`${change.status}-${status}`, { status }));
    await seed(store, people, []);
    for (const who of people) {
      const applied = await ledger.setStanding(who.customerId, change, '2026-03-09T10:00:00.000Z');
      expect([name, who.status, applied]).toEqual([name, who.status, changesStanding(change, who.status)]);
      const after = (await ledger.readCustomer(who.customerId)) as Customer;
      expect(after.status).toBe(applied ? change.status : who.status);
    }
    expect(await ledger.setStanding('nobody', change, '2026-03-09T10:00:00.000Z')).toBe(false);
  });

  it('releases exactly the customers the rule calls held back', async () => {
    const people = [
      ...STATUSES.map((status) => customer(`hold-${status}`, { status })),
      customer('hold-paused', { pausedUntil: '2026-04-01', pauseReason: 'holiday' }),
    ];
    await seed(store, people, []);
    for (const who of people) {
      const previous = await ledger.releaseHold(who.customerId);
      expect([who.customerId, previous !== undefined]).toEqual([who.customerId, isHeldBack(who)]);
      const after = (await ledger.readCustomer(who.customerId)) as Customer;
      expect(after.status).toBe('active');
      expect(after.pausedUntil).toBeUndefined();
    }
    expect(await ledger.releaseHold('nobody')).toBeUndefined();
  });
});
