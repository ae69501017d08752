import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { forEachLimited } from '../../concurrency.ts';
import { batchWriteAll } from './batches.ts';
import { queryAll } from './paging.ts';

const PARTITIONS_IN_FLIGHT = 4;

/** Every item key of one partition, page by page (a partition may outgrow one 1 MB page). */
const keysOf = async (
  client: DynamoDBDocumentClient,
  tableName: string,
  pk: string,
): Promise<{ pk: string; sk: string }[]> => {
  const items = await queryAll(client, {
    TableName: tableName,
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': pk },
    ProjectionExpression: 'pk, sk',
    ConsistentRead: true,
  });
  return items.map((item) => ({ pk: String(item.pk), sk: String(item.sk) }));
};

/**
 * Deletes whole partitions: a record and everything kept beside it (payments, reminders, skips,
 * care records, whatever a later feature adds under the same key). Resolves with the items deleted.
 * Deleting is idempotent, so an interrupted removal is finished by running it again.
 */
export const deletePartitions = async (
  client: DynamoDBDocumentClient,
  tableName: string,
  partitionKeys: readonly string[],
): Promise<number> => {
  let deleted = 0;
  await forEachLimited(partitionKeys, PARTITIONS_IN_FLIGHT, async (pk) => {
    const keys = await keysOf(client, tableName, pk);
    await batchWriteAll(
      client,
      tableName,
      keys.map((Key) => ({ DeleteRequest: { Key } })),
    );
    deleted += keys.length;
  });
  return deleted;
};

/** Deletes single items by key (index entries that live in a shared partition). */
export const deleteItems = async (
  client: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly { pk: string; sk: string }[],
): Promise<void> => {
  await batchWriteAll(
    client,
    tableName,
    keys.map((Key) => ({ DeleteRequest: { Key } })),
  );
};
