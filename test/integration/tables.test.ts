import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoClient } from '../../functions/shared/adapters/dynamodb/client.ts';
import { ensureTables } from '../../functions/shared/adapters/dynamodb/create-tables.ts';
import { ledgerTable } from '../../functions/shared/tables.ts';
import { startTestStore, type TestStore } from '../support/emulators.ts';

describe('Tables from the shared definition on dynalite', () => {
  let store: TestStore;
  beforeAll(async () => {
    store = await startTestStore();
  });
  afterAll(() => store.stop());

  it('creates the ledger table with its keys and every index', async () => {
    const client = createDynamoClient(store.endpoint);
    const { Table } = await client.send(new DescribeTableCommand({ TableName: store.tableName }));
    expect(Table?.TableStatus).toBe('ACTIVE');
    expect(Table?.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName).sort()).toEqual(
      ledgerTable.globalSecondaryIndexes.map((index) => index.indexName).sort(),
    );
    const due = Table?.GlobalSecondaryIndexes?.find((index) => index.IndexName === 'due');
    expect(due?.KeySchema).toEqual([
      { AttributeName: 'dueShard', KeyType: 'HASH' },
      { AttributeName: 'dueAt', KeyType: 'RANGE' },
    ]);
    client.destroy();
  });

  it('creates nothing the second time', async () => {
    const client = createDynamoClient(store.endpoint);
    const created = await ensureTables(client, [{ definition: ledgerTable, tableName: store.tableName }]);
    expect(created).toEqual([]);
    client.destroy();
  });
});
