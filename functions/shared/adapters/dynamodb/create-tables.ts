import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  ResourceNotFoundException,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import type { TableDefinition } from '../../tables.ts';

/** Translates the shared table definition into the CreateTable request the local store needs. */
export const createTableInput = (definition: TableDefinition, tableName: string): CreateTableCommandInput => {
  const attributes = new Map<string, string>();
  const remember = (key: { name: string; type: string }) => attributes.set(key.name, key.type);
  remember(definition.partitionKey);
  remember(definition.sortKey);
  for (const index of definition.globalSecondaryIndexes) {
    remember(index.partitionKey);
    remember(index.sortKey);
  }
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attributes].map(([AttributeName, AttributeType]) => ({
      AttributeName,
      AttributeType: AttributeType as 'S' | 'N',
    })),
    KeySchema: [
      { AttributeName: definition.partitionKey.name, KeyType: 'HASH' },
      { AttributeName: definition.sortKey.name, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: definition.globalSecondaryIndexes.map((index) => ({
      IndexName: index.indexName,
      KeySchema: [
        { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
        { AttributeName: index.sortKey.name, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: index.projection },
    })),
  };
};

const tableExists = async (client: DynamoDBClient, tableName: string): Promise<boolean> => {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return true;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return false;
    throw error;
  }
};

/**
 * Creates each table that is missing and waits until it is active. Returns the names it created, so
 * `dunning dev` knows whether the store was empty (and needs the demo portfolio).
 */
export const ensureTables = async (
  client: DynamoDBClient,
  wanted: readonly { definition: TableDefinition; tableName: string }[],
): Promise<string[]> => {
  const created: string[] = [];
  for (const { definition, tableName } of wanted) {
    if (await tableExists(client, tableName)) continue;
    try {
      await client.send(new CreateTableCommand(createTableInput(definition, tableName)));
      created.push(tableName);
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
    }
    await waitUntilTableExists(
      { client, maxWaitTime: 60, minDelay: 0.2, maxDelay: 1 },
      { TableName: tableName },
    );
  }
  return created;
};
