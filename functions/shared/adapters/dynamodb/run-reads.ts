import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Customer, Invoice } from '../../domain/model.ts';
import { allDueShards, customerKey, dueUpTo, INVOICE_ITEM_PREFIX, invoiceKey, isExpired } from './keys.ts';
import { type Item, itemToCustomer, itemToInvoice } from './ledger-items.ts';

const BATCH_GET_LIMIT = 100;

const invoiceIdOf = (pk: unknown): string => String(pk).slice(INVOICE_ITEM_PREFIX.length);

/**
 * The run's reads: what is due from the sparse `due` index (keys only, every shard, every page; never
 * a Scan), then consistent batched point reads of exactly those items.
 */
export class RunReads {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private async queryAll(input: ConstructorParameters<typeof QueryCommand>[0]): Promise<Item[]> {
    const items: Item[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }

  async dueInvoiceIds(asOf: Date): Promise<string[]> {
    const shards = await Promise.all(
      allDueShards().map((shard) =>
        this.queryAll({
          TableName: this.tableName,
          IndexName: 'due',
          KeyConditionExpression: 'dueShard = :shard AND dueAt <= :upTo',
          ExpressionAttributeValues: { ':shard': shard, ':upTo': dueUpTo(asOf) },
        }),
      ),
    );
    return shards.flat().map((item) => invoiceIdOf(item.pk));
  }

  /** A deferred customer's invoices with a next action by `asOf`, from the byCustomer index. */
  async customerDueInvoiceIds(customerId: string, asOf: Date): Promise<string[]> {
    const items = await this.queryAll({
      TableName: this.tableName,
      IndexName: 'byCustomer',
      KeyConditionExpression: 'customerPk = :pk AND begins_with(customerSk, :invoice)',
      FilterExpression: 'attribute_exists(dueAt) AND nextActionAt <= :asOf',
      ExpressionAttributeValues: {
        ':pk': customerKey(customerId).pk,
        ':invoice': INVOICE_ITEM_PREFIX,
        ':asOf': asOf.toISOString(),
      },
      ProjectionExpression: 'pk',
    });
    return items.map((item) => invoiceIdOf(item.pk));
  }

  private async batchGet(keys: readonly Record<string, string>[]): Promise<Item[]> {
    const found: Item[] = [];
    for (let start = 0; start < keys.length; start += BATCH_GET_LIMIT) {
      let pending: Record<string, unknown>[] | undefined = keys.slice(start, start + BATCH_GET_LIMIT);
      for (let attempt = 0; pending && pending.length > 0; attempt++) {
        const result: BatchGetCommandOutput = await this.client.send(
          new BatchGetCommand({
            RequestItems: { [this.tableName]: { Keys: pending, ConsistentRead: true } },
          }),
        );
        found.push(...(result.Responses?.[this.tableName] ?? []));
        pending = result.UnprocessedKeys?.[this.tableName]?.Keys;
        if (pending?.length)
          await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 50 * 2 ** attempt)));
      }
    }
    const now = this.now();
    return found.filter((item) => !isExpired(item, now));
  }

  async readInvoices(invoiceIds: readonly string[]): Promise<Invoice[]> {
    const unique = [...new Set(invoiceIds)];
    return (await this.batchGet(unique.map(invoiceKey))).map(itemToInvoice);
  }

  async readCustomers(customerIds: readonly string[]): Promise<Map<string, Customer>> {
    const unique = [...new Set(customerIds)];
    const customers = (await this.batchGet(unique.map(customerKey))).map(itemToCustomer);
    return new Map(customers.map((customer) => [customer.customerId, customer]));
  }
}
