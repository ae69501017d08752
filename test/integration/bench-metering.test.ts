import { BatchGetCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meterStore } from '../../bench/metering.ts';
import { createDocumentClient, createDynamoClient } from '../../functions/shared/adapters/dynamodb/client.ts';
import { startTestStore, type TestStore } from '../support/emulators.ts';

describe('Bench store meter on dynalite', () => {
  let store: TestStore;
  beforeAll(async () => {
    store = await startTestStore();
  });
  afterAll(() => store.stop());

  it('counts the items each command read and wrote, from the real responses', async () => {
    // Prepare
    const client = createDynamoClient(store.endpoint);
    const metering = meterStore(client);
    const documentClient = createDocumentClient(client);
    const TableName = store.tableName;

    // Act
    for (const sk of ['a', 'b', 'c'])
      await documentClient.send(new PutCommand({ TableName, Item: { pk: 'METER#1', sk, kept: sk !== 'c' } }));
    await documentClient.send(new GetCommand({ TableName, Key: { pk: 'METER#1', sk: 'missing' } }));
    await documentClient.send(
      new BatchGetCommand({
        RequestItems: {
          [TableName]: {
            Keys: [
              { pk: 'METER#1', sk: 'a' },
              { pk: 'METER#1', sk: 'b' },
              { pk: 'METER#1', sk: 'none' },
            ],
          },
        },
      }),
    );
    const query = await documentClient.send(
      new QueryCommand({
        TableName,
        KeyConditionExpression: 'pk = :pk',
        FilterExpression: 'kept = :kept',
        ExpressionAttributeValues: { ':pk': 'METER#1', ':kept': true },
      }),
    );
    await expect(
      documentClient.send(
        new UpdateCommand({
          TableName,
          Key: { pk: 'METER#1', sk: 'a' },
          UpdateExpression: 'SET kept = :no',
          ConditionExpression: 'attribute_not_exists(pk)',
          ExpressionAttributeValues: { ':no': false },
        }),
      ),
    ).rejects.toThrow();
    const meter = metering.snapshot();
    metering.reset();

    // Assess: a filtered-out item was still read; a missed key is still a read; a failed condition writes nothing.
    expect(query.Count).toBe(2);
    expect(meter.byCommand).toEqual({
      PutItemCommand: { requests: 3, read: 0, written: 3 },
      GetItemCommand: { requests: 1, read: 1, written: 0 },
      BatchGetItemCommand: { requests: 1, read: 3, written: 0 },
      QueryCommand: { requests: 1, read: 3, written: 0 },
      UpdateItemCommand: { requests: 1, read: 0, written: 0 },
    });
    expect({ read: meter.read, written: meter.written, failed: meter.failedConditions }).toEqual({
      read: 7,
      written: 3,
      failed: 1,
    });
    expect(metering.snapshot().requests).toBe(0);
    documentClient.destroy();
  });

  it('counts calls sent together as one round trip and calls one after another as one each', async () => {
    // Prepare
    const client = createDynamoClient(store.endpoint);
    const metering = meterStore(client);
    const documentClient = createDocumentClient(client);
    const TableName = store.tableName;
    const key = (sk: string) => ({ pk: 'TRIPS#1', sk });

    // Act
    await documentClient.send(new PutCommand({ TableName, Item: key('a') }));
    await Promise.all([
      documentClient.send(new GetCommand({ TableName, Key: key('a') })),
      documentClient.send(new GetCommand({ TableName, Key: key('b') })),
    ]);
    await documentClient.send(new PutCommand({ TableName, Item: key('b') }));
    const meter = metering.snapshot();

    // Assess
    expect({ requests: meter.requests, roundTrips: meter.roundTrips }).toEqual({
      requests: 4,
      roundTrips: 3,
    });
    metering.reset();
    expect(metering.snapshot().roundTrips).toBe(0);
    documentClient.destroy();
  });
});
