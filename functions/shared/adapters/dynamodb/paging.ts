import {
  type DynamoDBDocumentClient,
  paginateQuery,
  paginateScan,
  type QueryCommandInput,
  type ScanCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { Item } from './ledger-items.ts';

/**
 * The one way to read past DynamoDB's 1 MB page: the SDK's own paginators, page by page (a caller
 * that works per page holds one page at a time) or all at once.
 */

export async function* queryPages(client: DynamoDBDocumentClient, input: QueryCommandInput) {
  for await (const page of paginateQuery({ client }, input)) yield (page.Items ?? []) as Item[];
}

export async function* scanPages(client: DynamoDBDocumentClient, input: ScanCommandInput) {
  for await (const page of paginateScan({ client }, input)) yield (page.Items ?? []) as Item[];
}

export const queryAll = async (client: DynamoDBDocumentClient, input: QueryCommandInput): Promise<Item[]> => {
  const items: Item[] = [];
  for await (const page of queryPages(client, input)) items.push(...page);
  return items;
};
