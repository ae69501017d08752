import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Customer, Invoice } from '../../domain/model.ts';
import { customerKey, invoiceKey } from './keys.ts';
import { itemToCustomer, itemToInvoice } from './ledger-items.ts';

/**
 * Point reads of invoices and customers. Consistent by default: what is decided on them (a payment
 * applied, an invoice judged again after a lost claim) must see the latest write.
 */
export class LedgerReader {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async getInvoice(invoiceId: string, consistent = true): Promise<Invoice | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: invoiceKey(invoiceId), ConsistentRead: consistent }),
    );
    return Item ? itemToInvoice(Item) : undefined;
  }

  async getCustomer(customerId: string, consistent = true): Promise<Customer | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: customerKey(customerId), ConsistentRead: consistent }),
    );
    return Item ? itemToCustomer(Item) : undefined;
  }
}
