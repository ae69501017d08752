import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type CareEvent, DISPUTED_FLAG } from '../../domain/customer-care/events.ts';
import type { CareLedger, FlagsChange, PauseRequest } from '../../domain/customer-care/ports.ts';
import type { StandingChange } from '../../domain/customer-care/rules.ts';
import type { Customer, Invoice } from '../../domain/model.ts';
import { unlessConditionFailed } from './conditions.ts';
import { findCustomersByEmail } from './customer-care-email-index.ts';
import { CARE_PREFIX, careKey, customerKey, dueIndexKeys, invoiceKey } from './keys.ts';
import { type Item, itemToCustomer, itemToInvoice } from './ledger-items.ts';
import { queryAll } from './paging.ts';

/**
 * Customer care's ledger on the Ledger table (docs/data-model.md): each method is one read or one
 * conditional write on one item, its condition spelled from the rule the domain hands it.
 */
export class DynamoCareLedger implements CareLedger {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private async get(key: { pk: string; sk: string }): Promise<Item | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
    );
    return Item;
  }

  /** Runs a conditional update; `undefined` when its condition did not hold. */
  private async update(
    input: Omit<ConstructorParameters<typeof UpdateCommand>[0], 'TableName'>,
  ): Promise<Item | undefined> {
    const written = await unlessConditionFailed(() =>
      this.client.send(new UpdateCommand({ TableName: this.tableName, ...input })),
    );
    return written && (written.Attributes ?? {});
  }

  async readCustomer(customerId: string): Promise<Customer | undefined> {
    const item = await this.get(customerKey(customerId));
    return item ? itemToCustomer(item) : undefined;
  }

  async readInvoice(invoiceId: string): Promise<Invoice | undefined> {
    const item = await this.get(invoiceKey(invoiceId));
    return item ? itemToInvoice(item) : undefined;
  }

  customersAt(email: string): Promise<Customer[]> {
    return findCustomersByEmail(this.client, this.tableName, email);
  }

  async setPause(request: PauseRequest): Promise<Customer | undefined> {
    const item = await this.update({
      Key: customerKey(request.customerId),
      UpdateExpression: request.reason
        ? 'SET pausedUntil = :until, pauseReason = :reason'
        : 'SET pausedUntil = :until REMOVE pauseReason',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: {
        ':until': request.until,
        ...(request.reason ? { ':reason': request.reason } : {}),
      },
      ReturnValues: 'ALL_NEW',
    });
    return item ? itemToCustomer(item) : undefined;
  }

  async releaseHold(customerId: string): Promise<Customer | undefined> {
    // Held back (rules.ts isHeldBack): a status other than active, or a pause.
    const old = await this.update({
      Key: customerKey(customerId),
      UpdateExpression: 'SET #status = :active REMOVE pausedUntil, pauseReason',
      ConditionExpression:
        'attribute_exists(pk) AND ((attribute_exists(#status) AND #status <> :active) OR attribute_exists(pausedUntil))',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':active': 'active' },
      ReturnValues: 'ALL_OLD',
    });
    return old ? itemToCustomer(old) : undefined;
  }

  async setStanding(customerId: string, change: StandingChange, at: string): Promise<boolean> {
    const allowed = change.over.map((_, index) => `#status = :over${index}`).join(' OR ');
    const changed = await this.update({
      Key: customerKey(customerId),
      UpdateExpression: 'SET #status = :status, #at = :at',
      ConditionExpression: `attribute_exists(pk) AND (attribute_not_exists(#status) OR ${allowed})`,
      ExpressionAttributeNames: {
        '#status': 'status',
        '#at': change.status === 'opted_out' ? 'optedOutAt' : 'bouncedAt',
      },
      ExpressionAttributeValues: {
        ':status': change.status,
        ':at': at,
        ...Object.fromEntries(change.over.map((value, index) => [`:over${index}`, value])),
      },
    });
    return changed !== undefined;
  }

  async markDisputed(invoiceId: string, reason: string): Promise<Invoice | undefined> {
    const item = await this.update({
      Key: invoiceKey(invoiceId),
      UpdateExpression:
        'SET flags = list_append(if_not_exists(flags, :none), :flag), disputeReason = :reason, version = if_not_exists(version, :zero) + :one',
      ConditionExpression: 'attribute_exists(pk) AND NOT contains(flags, :disputed)',
      ExpressionAttributeValues: {
        ':none': [],
        ':flag': [DISPUTED_FLAG],
        ':disputed': DISPUTED_FLAG,
        ':reason': reason,
        ':zero': 0,
        ':one': 1,
      },
      ReturnValues: 'ALL_NEW',
    });
    return item ? itemToInvoice(item) : undefined;
  }

  async writeFlags(invoice: Invoice, change: FlagsChange): Promise<boolean> {
    const values: Record<string, unknown> = {
      ':flags': change.flags,
      ':read': invoice.version,
      ':zero': 0,
      ':one': 1,
    };
    const set = ['flags = :flags', 'version = if_not_exists(version, :zero) + :one'];
    const remove = change.dropDisputeReason ? ['disputeReason'] : [];
    if (change.next) {
      const keys = dueIndexKeys(invoice.invoiceId, change.next);
      set.push('nextActionAt = :next', 'dueShard = :shard', 'dueAt = :dueAt');
      Object.assign(values, {
        ':next': change.next.toISOString(),
        ':shard': keys.dueShard,
        ':dueAt': keys.dueAt,
      });
    } else {
      remove.push('nextActionAt', 'dueShard', 'dueAt');
    }
    const written = await this.update({
      Key: invoiceKey(invoice.invoiceId),
      UpdateExpression: `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`,
      ConditionExpression:
        invoice.version === 0 ? '(attribute_not_exists(version) OR version = :read)' : 'version = :read',
      ExpressionAttributeValues: values,
    });
    return written !== undefined;
  }

  async record(event: CareEvent): Promise<void> {
    const owner = event.invoiceId ? invoiceKey(event.invoiceId) : customerKey(event.customerId);
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...careKey(owner, event.at, event.action), type: 'care', ...event },
      }),
    );
  }

  async history(customerId: string, invoiceId?: string): Promise<CareEvent[]> {
    const partitions = [customerKey(customerId).pk, ...(invoiceId ? [invoiceKey(invoiceId).pk] : [])];
    const items = await Promise.all(
      partitions.map((pk) =>
        queryAll(this.client, {
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :care)',
          ExpressionAttributeValues: { ':pk': pk, ':care': CARE_PREFIX },
          ConsistentRead: true,
        }),
      ),
    );
    return items
      .flat()
      .map(careEventOf)
      .sort((a, b) => a.at.localeCompare(b.at));
  }
}

const CARE_FIELDS = [
  'at',
  'action',
  'by',
  'customerId',
  'invoiceId',
  'reason',
  'until',
  'previousStatus',
  'reference',
  'flag',
];

export const careEventOf = (item: Item): CareEvent =>
  Object.fromEntries(
    CARE_FIELDS.filter((field) => item[field] !== undefined).map((field) => [field, item[field]]),
  ) as unknown as CareEvent;
