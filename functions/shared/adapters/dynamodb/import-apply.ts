import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { forEachLimited } from '../../concurrency.ts';
import {
  type ImportedCustomer,
  type ImportedInvoice,
  newCustomer,
  newInvoice,
  updatedInvoice,
} from '../../domain/import/records.ts';
import type { Policy } from '../../domain/policy.ts';
import { batchGetAll } from './batches.ts';
import { isConditionFailed } from './conditions.ts';
import { customerEmailItem } from './customer-care-email-index.ts';
import { customerKey, invoiceKey } from './keys.ts';
import { customerToItem, type Item, invoiceToItem, itemToInvoice } from './ledger-items.ts';

/**
 * Lays staged import rows onto the invoice and customer items, one conditional write per item, so
 * that a retry, a second applier (a run rolling the import forward) or a concurrent payment never
 * loses a write. Applying the same staged row twice changes nothing: the item's `importHash` says
 * it is already there.
 */

/** Customer fields a file may leave out: left out, they are removed, since the newest row wins. */
const OPTIONAL_CUSTOMER_FIELDS = ['address', 'customerType', 'phone', 'country'] as const;

const WRITE_CONCURRENCY = 16;
const MAX_ATTEMPTS = 6;

/** Attributes the import rewrites on an invoice item that may also disappear from one import to the next. */
const DROPPABLE_INVOICE_ATTRIBUTES = ['issueDate', 'nextActionAt', 'dueShard', 'dueAt'] as const;

export interface ApplyTarget {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly policy: Policy;
}

const readItem = async (target: ApplyTarget, key: { pk: string; sk: string }) =>
  (await target.client.send(new GetCommand({ TableName: target.tableName, Key: key, ConsistentRead: true })))
    .Item;

const writeInvoice = async (target: ApplyTarget, imported: ImportedInvoice, stored: Item | undefined) => {
  if (!stored) {
    // Object.assign, not a literal opening with a spread: one per row (see domain/import/records.ts).
    const item = Object.assign(invoiceToItem(newInvoice(imported, target.policy)), {
      importHash: imported.importHash,
    });
    await target.client.send(
      new PutCommand({
        TableName: target.tableName,
        Item: item,
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return;
  }
  const merged = updatedInvoice(itemToInvoice(stored), imported, target.policy);
  // Start from the stored item so attributes other parts of the product keep there survive.
  const base: Item = { ...stored };
  for (const attribute of DROPPABLE_INVOICE_ATTRIBUTES) delete base[attribute];
  const item = Object.assign(base, invoiceToItem(merged), { importHash: imported.importHash });
  await target.client.send(
    new PutCommand({
      TableName: target.tableName,
      Item: item,
      ConditionExpression: 'version = :read',
      ExpressionAttributeValues: { ':read': stored.version },
    }),
  );
};

/** Applies one staged invoice, re-reading and retrying when someone else wrote it in between. */
const applyInvoice = async (target: ApplyTarget, imported: ImportedInvoice, known: Item | undefined) => {
  let stored = known;
  for (let attempt = 1; ; attempt += 1) {
    if (stored?.importHash === imported.importHash) return;
    try {
      await writeInvoice(target, imported, stored);
      return;
    } catch (error) {
      if (!isConditionFailed(error) || attempt >= MAX_ATTEMPTS) throw error;
      stored = await readItem(target, invoiceKey(imported.invoiceId));
    }
  }
};

/** Only the imported fields: status, pauses and reminder history belong to other writers. */
const customerUpdate = (tableName: string, imported: ImportedCustomer): UpdateCommand => {
  const optional = OPTIONAL_CUSTOMER_FIELDS.map((field) => ({ field, value: imported[field] }));
  const set = optional.filter(({ value }) => value !== undefined);
  const removed = optional.filter(({ value }) => value === undefined);
  const setOptional = set.map(({ field }) => `, #${field} = :${field}`).join('');
  const removeOptional =
    removed.length > 0 ? ` REMOVE ${removed.map(({ field }) => `#${field}`).join(', ')}` : '';
  return new UpdateCommand({
    TableName: tableName,
    Key: customerKey(imported.customerId),
    // Every name through a placeholder: several (name, timeZone) are DynamoDB reserved words.
    UpdateExpression: `SET #name = :name, #email = :email, #locale = :locale, #zone = :zone, #hash = :hash${setOptional}${removeOptional}`,
    ConditionExpression: 'attribute_exists(pk)',
    ExpressionAttributeNames: {
      '#name': 'name',
      '#email': 'email',
      '#locale': 'locale',
      '#zone': 'timeZone',
      '#hash': 'importHash',
      ...Object.fromEntries(optional.map(({ field }) => [`#${field}`, field])),
    },
    ExpressionAttributeValues: {
      ':name': imported.name,
      ':email': imported.email,
      ':locale': imported.locale,
      ':zone': imported.timeZone,
      ':hash': imported.importHash,
      ...Object.fromEntries(set.map(({ field, value }) => [`:${field}`, value])),
    },
  });
};

/** Optional imported fields a row left empty are removed, so the newest row's word holds. */
const applyCustomer = async (target: ApplyTarget, imported: ImportedCustomer, known: Item | undefined) => {
  let stored = known;
  for (let attempt = 1; ; attempt += 1) {
    if (stored?.importHash === imported.importHash) return;
    try {
      // Before the customer: a crash leaves at worst a pointer the lookup ignores, never a customer
      // that bounce and complaint events cannot find.
      await target.client.send(
        new PutCommand({
          TableName: target.tableName,
          Item: customerEmailItem(imported.customerId, imported.email),
        }),
      );
      if (!stored) {
        await target.client.send(
          new PutCommand({
            TableName: target.tableName,
            Item: Object.assign(customerToItem(newCustomer(imported)), { importHash: imported.importHash }),
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
      } else {
        await target.client.send(customerUpdate(target.tableName, imported));
      }
      return;
    } catch (error) {
      if (!isConditionFailed(error) || attempt >= MAX_ATTEMPTS) throw error;
      stored = await readItem(target, customerKey(imported.customerId));
    }
  }
};

export const applyInvoices = async (target: ApplyTarget, invoices: readonly ImportedInvoice[]) => {
  const stored = await batchGetAll(
    target.client,
    target.tableName,
    invoices.map((invoice) => invoiceKey(invoice.invoiceId)),
  );
  await forEachLimited(invoices, WRITE_CONCURRENCY, (invoice) =>
    applyInvoice(target, invoice, stored.get(invoiceKey(invoice.invoiceId).pk)),
  );
};

export const applyCustomers = async (target: ApplyTarget, customers: readonly ImportedCustomer[]) => {
  const stored = await batchGetAll(
    target.client,
    target.tableName,
    customers.map((customer) => customerKey(customer.customerId)),
    ['pk', 'importHash'],
  );
  await forEachLimited(customers, WRITE_CONCURRENCY, (customer) =>
    applyCustomer(target, customer, stored.get(customerKey(customer.customerId).pk)),
  );
};
