import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchGetAll } from '../../functions/shared/adapters/dynamodb/batches.ts';
import {
  customerEmailKey,
  customerKey,
  deferralKey,
  IMPORT_KIND,
  invoiceKey,
  unmatchedEventKey,
} from '../../functions/shared/adapters/dynamodb/keys.ts';
import { queryAll } from '../../functions/shared/adapters/dynamodb/paging.ts';
import { deleteItems, deletePartitions } from '../../functions/shared/adapters/dynamodb/partitions.ts';
import { normaliseAddress } from '../../functions/shared/domain/customer-care/mail-event.ts';
import { DEMO_IMPORT_LABEL, demoIdentity } from './portfolio.ts';

export interface DemoRemoval {
  readonly customers: number;
  readonly invoices: number;
  /** Items deleted in their partitions: the records above and what was kept beside them (reminders, payments, skips...). */
  readonly records: number;
}

/** The demo's import records, found through the `byKind` listing of imports. */
const demoImports = async (client: DynamoDBDocumentClient, tableName: string): Promise<string[]> => {
  const items = await queryAll(client, {
    TableName: tableName,
    IndexName: 'byKind',
    KeyConditionExpression: 'kind = :kind',
    FilterExpression: '#file = :label',
    ExpressionAttributeNames: { '#file': 'file' },
    ExpressionAttributeValues: { ':kind': IMPORT_KIND, ':label': DEMO_IMPORT_LABEL },
  });
  return items.map((item) => String(item.pk));
};

/**
 * Deletes the demo portfolio and nothing else. A record counts as the demo's only when it is exactly
 * what the seed wrote: a demo customer id still carrying the demo's made-up address, a demo invoice
 * id still billed to such a customer. A user's own record that happens to reuse an id is left alone.
 */
export const removeDemoPortfolio = async (
  client: DynamoDBDocumentClient,
  tableName: string,
): Promise<DemoRemoval> => {
  const identity = demoIdentity();
  const stored = await batchGetAll(client, tableName, [
    ...[...identity.customers.keys()].map(customerKey),
    ...[...identity.invoices.keys()].map(invoiceKey),
  ]);
  const customers = [...identity.customers].filter(
    ([customerId, email]) => stored.get(customerKey(customerId).pk)?.email === email,
  );
  const demoCustomers = new Set(customers.map(([customerId]) => customerId));
  const invoices = [...identity.invoices].filter(([invoiceId, customerId]) => {
    const item = stored.get(invoiceKey(invoiceId).pk);
    return item !== undefined && item.customerId === customerId && demoCustomers.has(customerId);
  });
  const imports = await demoImports(client, tableName);

  // Invoices first: an invoice never outlives its customer, whatever moment a removal is cut short.
  const invoiceRecords = await deletePartitions(client, tableName, [
    ...invoices.flatMap(([invoiceId]) => [invoiceKey(invoiceId).pk, unmatchedEventKey(invoiceId, '').pk]),
  ]);
  await deleteItems(
    client,
    tableName,
    customers.map(([customerId, email]) => customerEmailKey(normaliseAddress(email), customerId)),
  );
  const customerRecords = await deletePartitions(client, tableName, [
    ...customers.flatMap(([customerId]) => [
      customerKey(customerId).pk,
      deferralKey(customerId, new Date(0)).pk,
    ]),
    ...imports,
  ]);
  return {
    customers: customers.length,
    invoices: invoices.length,
    records: invoiceRecords + customerRecords,
  };
};
