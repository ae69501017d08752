import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { normaliseAddress } from '../../domain/customer-care/mail-event.ts';
import type { Customer } from '../../domain/model.ts';
import { customerEmailKey } from './keys.ts';
import type { Item } from './ledger-items.ts';
import { RunReads } from './run-reads.ts';

/**
 * `pk = EMAIL#<address>`, `sk = CUSTOMER#<id>`: written (idempotently) by the import before the
 * customer it points at, so a crash leaves at worst an extra pointer. Pointers are never trusted
 * alone: a customer whose current address differs (re-imported with a new one) is left out.
 */
export const customerEmailItem = (customerId: string, email: string): Item => ({
  ...customerEmailKey(normaliseAddress(email), customerId),
  type: 'customer_email',
  customerId,
});

export const findCustomersByEmail = async (
  client: DynamoDBDocumentClient,
  tableName: string,
  email: string,
): Promise<Customer[]> => {
  const address = normaliseAddress(email);
  const { pk } = customerEmailKey(address, '');
  const { Items = [] } = await client.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pk },
      ConsistentRead: true,
    }),
  );
  const ids = Items.map((item: Item) => String(item.customerId));
  if (ids.length === 0) return [];
  const customers = await new RunReads(client, tableName).readCustomers(ids);
  return [...customers.values()].filter((customer) => normaliseAddress(customer.email) === address);
};
