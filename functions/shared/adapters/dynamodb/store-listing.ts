import {
  type DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandInput,
  ScanCommand,
  type ScanCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { Customer, Invoice } from '../../domain/model.ts';
import { UserInputError } from '../../errors.ts';
import { batchGetAll } from './batches.ts';
import { customerKey } from './keys.ts';
import { type Item, itemToCustomer, itemToInvoice } from './ledger-items.ts';

/**
 * Pages of invoices and customers for `dunning invoices` / `dunning customers`. A page ends exactly
 * after its last line, so `next` resumes right after it whatever filter dropped items on the way:
 * the token is the store key of the last item looked at, which is what DynamoDB resumes from.
 */

export interface PageRequest {
  readonly limit: number;
  readonly next?: string;
}

export interface Page<T> {
  readonly items: T[];
  readonly next: string | null;
}

type Key = Record<string, string>;

/** A token names what it pages through, so one listing's token is not taken for another's. */
const encodeToken = (listing: string, key: Key): string =>
  Buffer.from(JSON.stringify({ listing, key })).toString('base64url');

const decodeToken = (listing: string, token: string | undefined, keyNames: readonly string[]) => {
  if (token === undefined) return undefined;
  const refused = () =>
    new UserInputError(`--next "${token}" is not a token this listing printed; start again without --next`);
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw refused();
  }
  const { listing: named, key } = (decoded ?? {}) as { listing?: unknown; key?: unknown };
  if (named !== listing || typeof key !== 'object' || key === null) throw refused();
  const entries = Object.entries(key);
  if (
    entries.length !== keyNames.length ||
    !entries.every(([name, value]) => keyNames.includes(name) && typeof value === 'string')
  )
    throw refused();
  return key as Key;
};

const keyOf = (item: Item, keyNames: readonly string[]): Key =>
  Object.fromEntries(keyNames.map((name) => [name, String(item[name])]));

/** Reads store pages until `limit` items passed `keep`, or the listing ends. */
const collectPage = async <T>(
  client: DynamoDBDocumentClient,
  input: QueryCommandInput | ScanCommandInput,
  listing: string,
  keyNames: readonly string[],
  request: PageRequest,
  /** One entry per item read, in order: its listing line, or undefined when it does not match. */
  lines: (items: Item[]) => Promise<(T | undefined)[]> | (T | undefined)[],
): Promise<Page<T>> => {
  const items: T[] = [];
  let start: Key | undefined = decodeToken(listing, request.next, keyNames);
  for (;;) {
    const command =
      'KeyConditionExpression' in input && input.KeyConditionExpression
        ? new QueryCommand({ ...(input as QueryCommandInput), ExclusiveStartKey: start })
        : new ScanCommand({ ...(input as ScanCommandInput), ExclusiveStartKey: start });
    const page = await client.send(command);
    const read = page.Items ?? [];
    const candidates = await lines(read);
    for (const [index, item] of read.entries()) {
      const line = candidates[index];
      if (line === undefined) continue;
      items.push(line);
      if (items.length < request.limit) continue;
      const last = index === read.length - 1 && !page.LastEvaluatedKey;
      return { items, next: last ? null : encodeToken(listing, keyOf(item, keyNames)) };
    }
    if (!page.LastEvaluatedKey) return { items, next: null };
    start = page.LastEvaluatedKey as Key;
  }
};

const INVOICE_INDEX_KEYS = ['pk', 'sk', 'customerPk', 'customerSk'] as const;
const TABLE_KEYS = ['pk', 'sk'] as const;
const READ_PAGE = 200;

export interface InvoiceListing<T> extends PageRequest {
  readonly customerId?: string;
  /** Narrows the store read to one stored status (a listed `held` invoice is stored `open`). */
  readonly storedStatus?: Invoice['status'];
  /** Turns read invoices, with their customers, into listing lines; drops those that do not match. */
  readonly select: (invoice: Invoice, customer: Customer | undefined) => T | undefined;
}

/**
 * Invoices through GSI `byCustomer`, the sparse listing of exactly the invoice items: one customer's
 * by query (in invoice id order), all of them by scan. Each invoice comes with its customer, whose
 * standing decides whether the invoice is held.
 */
export const listInvoices = async <T>(
  client: DynamoDBDocumentClient,
  tableName: string,
  listing: InvoiceListing<T>,
): Promise<Page<T>> => {
  const filter = listing.storedStatus
    ? {
        FilterExpression: '#status = :status',
        ExpressionAttributeNames: { '#status': 'status' },
      }
    : {};
  const values = listing.storedStatus ? { ':status': listing.storedStatus } : {};
  const input = listing.customerId
    ? {
        TableName: tableName,
        IndexName: 'byCustomer',
        KeyConditionExpression: 'customerPk = :customer',
        ExpressionAttributeValues: { ':customer': customerKey(listing.customerId).pk, ...values },
        Limit: READ_PAGE,
        ...filter,
      }
    : {
        TableName: tableName,
        IndexName: 'byCustomer',
        Limit: READ_PAGE,
        ...filter,
        ...(listing.storedStatus ? { ExpressionAttributeValues: values } : {}),
      };
  // A customer's invoices sit together in the index: most pages need one or two customer reads.
  const customers = new Map<string, Customer | undefined>();
  const name = `invoices:${listing.customerId ?? ''}:${listing.storedStatus ?? ''}`;
  return collectPage(client, input, name, INVOICE_INDEX_KEYS, listing, async (items) => {
    const invoices = items.map(itemToInvoice);
    const unknown = invoices.filter((invoice) => !customers.has(invoice.customerId));
    if (unknown.length > 0) {
      const found = await batchGetAll(
        client,
        tableName,
        unknown.map((invoice) => customerKey(invoice.customerId)),
      );
      for (const invoice of unknown) {
        const item = found.get(customerKey(invoice.customerId).pk);
        customers.set(invoice.customerId, item ? itemToCustomer(item) : undefined);
      }
    }
    return invoices.map((invoice) => listing.select(invoice, customers.get(invoice.customerId)));
  });
};

/** Customers by a filtered table scan: customers have no listing of their own, and this is rare. */
export const listCustomers = async <T>(
  client: DynamoDBDocumentClient,
  tableName: string,
  request: PageRequest,
  toLine: (customer: Customer) => T,
): Promise<Page<T>> =>
  collectPage(
    client,
    {
      TableName: tableName,
      FilterExpression: 'sk = :sk AND begins_with(pk, :prefix)',
      ExpressionAttributeValues: { ':sk': customerKey('').sk, ':prefix': customerKey('').pk },
      Limit: READ_PAGE * 5,
    },
    'customers',
    TABLE_KEYS,
    request,
    (items) => items.map((item) => toLine(itemToCustomer(item))),
  );
