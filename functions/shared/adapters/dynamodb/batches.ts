import { BatchGetCommand, BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { backoffMs, sleep } from '../../backoff.ts';
import { forEachLimited } from '../../concurrency.ts';
import type { Item } from './ledger-items.ts';

/**
 * The one batch helper for reads and writes by key (imports, the run's re-reads, reports). DynamoDB
 * may hand back part of a batch as unprocessed under load; those are sent again with growing pauses,
 * a bounded number of times, and an error names what is left: never dropped, never retried forever.
 */

const WRITE_BATCH = 25;
const READ_BATCH = 100;
const MAX_ROUNDS = 10;
const UNPROCESSED_BACKOFF = { baseMs: 50, capMs: 2_000 };

const pause = (round: number) => sleep(backoffMs(round, UNPROCESSED_BACKOFF));

export type WriteRequest = { PutRequest: { Item: Item } } | { DeleteRequest: { Key: Item } };

const chunks = <T>(items: readonly T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
};

const writeOneBatch = async (client: DynamoDBDocumentClient, tableName: string, batch: WriteRequest[]) => {
  let pending: WriteRequest[] = batch;
  for (let round = 0; pending.length > 0; round += 1) {
    if (round >= MAX_ROUNDS)
      throw new Error(`${pending.length} writes stayed unprocessed after ${MAX_ROUNDS} rounds`);
    if (round > 0) await pause(round);
    const { UnprocessedItems } = await client.send(
      new BatchWriteCommand({ RequestItems: { [tableName]: pending } }),
    );
    pending = (UnprocessedItems?.[tableName] ?? []) as WriteRequest[];
  }
};

/** Writes every request in batches of 25, a few batches at a time. */
export const batchWriteAll = async (
  client: DynamoDBDocumentClient,
  tableName: string,
  requests: readonly WriteRequest[],
  concurrency = 4,
): Promise<void> => {
  await forEachLimited(chunks(requests, WRITE_BATCH), concurrency, (batch) =>
    writeOneBatch(client, tableName, batch),
  );
};

/** Reads items by key (in batches of 100, consistently); the result is keyed by `pk`. */
export const batchGetAll = async (
  client: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly { pk: string; sk: string }[],
  projection?: readonly string[],
): Promise<Map<string, Item>> => {
  const found = new Map<string, Item>();
  const unique = [...new Map(keys.map((key) => [`${key.pk}\u0000${key.sk}`, key])).values()];
  const names = projection
    ? Object.fromEntries(projection.map((name, index) => [`#p${index}`, name]))
    : undefined;
  for (const batch of chunks(unique, READ_BATCH)) {
    let pending: Record<string, unknown>[] = batch;
    for (let round = 0; pending.length > 0; round += 1) {
      if (round >= MAX_ROUNDS)
        throw new Error(`${pending.length} reads stayed unprocessed after ${MAX_ROUNDS} rounds`);
      if (round > 0) await pause(round);
      const { Responses, UnprocessedKeys } = await client.send(
        new BatchGetCommand({
          RequestItems: {
            [tableName]: {
              Keys: pending,
              ConsistentRead: true,
              ...(names
                ? { ProjectionExpression: Object.keys(names).join(', '), ExpressionAttributeNames: names }
                : {}),
            },
          },
        }),
      );
      for (const item of Responses?.[tableName] ?? []) found.set(String(item.pk), item);
      pending = (UnprocessedKeys?.[tableName]?.Keys ?? []) as Record<string, unknown>[];
    }
  }
  return found;
};
