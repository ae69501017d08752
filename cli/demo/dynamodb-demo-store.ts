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
import type { DemoPortfolioStore } from './removal.ts';

/** The demo removal's store on the ledger table: records are whole partitions, imports found by kind. */
export const dynamoDemoStore = (client: DynamoDBDocumentClient, tableName: string): DemoPortfolioStore => ({
  read: async (customerIds, invoiceIds) => {
    const stored = await batchGetAll(client, tableName, [
      ...customerIds.map(customerKey),
      ...invoiceIds.map(invoiceKey),
    ]);
    const customerEmails = new Map<string, string>();
    for (const customerId of customerIds) {
      const email = stored.get(customerKey(customerId).pk)?.email;
      if (typeof email === 'string') customerEmails.set(customerId, email);
    }
    const invoiceCustomers = new Map<string, string>();
    for (const invoiceId of invoiceIds) {
      const customerId = stored.get(invoiceKey(invoiceId).pk)?.customerId;
      if (typeof customerId === 'string') invoiceCustomers.set(invoiceId, customerId);
    }
    return { customerEmails, invoiceCustomers };
  },
  deleteInvoices: (invoiceIds) =>
    deletePartitions(
      client,
      tableName,
      invoiceIds.flatMap((invoiceId) => [invoiceKey(invoiceId).pk, unmatchedEventKey(invoiceId, '').pk]),
    ),
  deleteCustomers: async (customers) => {
    await deleteItems(
      client,
      tableName,
      customers.map(({ customerId, email }) => customerEmailKey(normaliseAddress(email), customerId)),
    );
    return deletePartitions(
      client,
      tableName,
      customers.flatMap(({ customerId }) => [
        customerKey(customerId).pk,
        deferralKey(customerId, new Date(0)).pk,
      ]),
    );
  },
  deleteImports: async (label) => {
    const imports = await queryAll(client, {
      TableName: tableName,
      IndexName: 'byKind',
      KeyConditionExpression: 'kind = :kind',
      FilterExpression: '#file = :label',
      ExpressionAttributeNames: { '#file': 'file' },
      ExpressionAttributeValues: { ':kind': IMPORT_KIND, ':label': label },
    });
    return deletePartitions(
      client,
      tableName,
      imports.map((item) => String(item.pk)),
    );
  },
});
