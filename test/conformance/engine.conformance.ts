import { TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStore, type TestStore } from '../support/emulators.ts';

describe('the conformance run', () => {
  let store: TestStore;
  beforeAll(async () => {
    store = await startTestStore();
  });
  afterAll(() => store.stop());

  it('talks to DynamoDB Local, which has the transactions dynalite lacks', async () => {
    // Prepare: a write only AWS's implementation accepts; dynalite answers UnknownOperationException.
    const key = { pk: { S: 'CONFORMANCE' }, sk: { S: 'ENGINE' } };

    // Act
    await store.documentClient.send(
      new TransactWriteItemsCommand({
        TransactItems: [{ Put: { TableName: store.tableName, Item: { ...key, engine: { S: 'aws' } } } }],
      }),
    );

    // Assess
    const { Item } = await store.documentClient.send(
      new GetCommand({ TableName: store.tableName, Key: { pk: 'CONFORMANCE', sk: 'ENGINE' } }),
    );
    expect(Item?.engine).toBe('aws');
  });
});
