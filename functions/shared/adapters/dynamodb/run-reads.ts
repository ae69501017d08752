import type { DynamoDBDocumentClient, QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Customer, Invoice } from '../../domain/model.ts';
import { batchGetAll } from './batches.ts';
import { allDueShards, customerKey, dueUpTo, INVOICE_ITEM_PREFIX, invoiceKey, isExpired } from './keys.ts';
import { type Item, itemToCustomer, itemToInvoice } from './ledger-items.ts';
import { queryAll } from './paging.ts';

const invoiceIdOf = (pk: unknown): string => String(pk).slice(INVOICE_ITEM_PREFIX.length);

/** An index entry without the invoice's own attributes: the `due` index of a store created keys-only. */
const keysOnly = (item: Item): boolean => item.invoiceId === undefined;

/**
 * The run's reads: what is due from the sparse `due` index, which carries each due invoice whole
 * (every shard, every page; never a Scan), and consistent batched point reads by key. An index copy
 * may lag its item in AWS: the run's stage claim is conditioned on the version it read, and a claim
 * refused for it reads the invoice here, consistently, before it is judged again.
 */
export class RunReads {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private queryAll(input: QueryCommandInput): Promise<Item[]> {
    return queryAll(this.client, input);
  }

  /** Invoices whose next action is at or before `asOf`, as the index holds them. */
  async dueInvoices(asOf: Date): Promise<Invoice[]> {
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
    return this.whole(shards.flat());
  }

  /** A deferred customer's invoices with a next action by `asOf`, from the byCustomer index. */
  async customerDueInvoices(customerId: string, asOf: Date): Promise<Invoice[]> {
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
    });
    return this.whole(items);
  }

  /** The invoices of index entries; entries of a keys-only index (a store from before) are read by key. */
  private async whole(items: readonly Item[]): Promise<Invoice[]> {
    const now = this.now();
    const held = items.filter((item) => !keysOnly(item) && !isExpired(item, now)).map(itemToInvoice);
    const missing = items.filter(keysOnly).map((item) => invoiceIdOf(item.pk));
    return missing.length ? [...held, ...(await this.readInvoices(missing))] : held;
  }

  /** Consistent reads by key; the batch helper retries what DynamoDB leaves unprocessed, bounded. */
  private async batchGet(keys: readonly { pk: string; sk: string }[]): Promise<Item[]> {
    const found = await batchGetAll(this.client, this.tableName, keys);
    const now = this.now();
    return [...found.values()].filter((item) => !isExpired(item, now));
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
