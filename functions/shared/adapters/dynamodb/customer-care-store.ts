import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { type CareActor, type CareEvent, DISPUTED_FLAG } from '../../domain/customer-care/events.ts';
import { flagNotCarried, withoutFlag } from '../../domain/customer-care/held-flags.ts';
import type { MailVerdict } from '../../domain/customer-care/mail-event.ts';
import type {
  CareOutcome,
  CustomerCare,
  DisputeOutcome,
  MailOutcome,
  PauseRequest,
  ResolveOutcome,
  ResolveRequest,
  ResumeOutcome,
} from '../../domain/customer-care/ports.ts';
import type { Customer, Invoice } from '../../domain/model.ts';
import type { Policy } from '../../domain/policy.ts';
import type { Clock } from '../../domain/ports.ts';
import { NotFoundError } from '../../errors.ts';
import { isConditionFailed } from './conditions.ts';
import { findCustomersByEmail } from './customer-care-email-index.ts';
import { CARE_PREFIX, careKey, customerKey, dueIndexKeys, invoiceKey } from './keys.ts';
import { type Item, itemToCustomer, itemToInvoice } from './ledger-items.ts';

export interface CustomerCareDeps {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly policy: Policy;
  /** A customer item without a zone (never written by the import) is read in this one. */
  readonly defaultTimeZone: string;
  readonly clock?: Clock;
}

/** Concurrent writers (a run's claim, a payment) bump the invoice's version; undispute re-reads and retries. */
const MAX_ATTEMPTS = 8;

const unknownCustomer = (customerId: string) => new NotFoundError(`No customer "${customerId}" in the store`);
const unknownInvoice = (invoiceId: string) => new NotFoundError(`No invoice "${invoiceId}" in the store`);

/** The customer-care writes of docs/data-model.md: one conditional write on one item, then a care record. */
export class DynamoCustomerCare implements CustomerCare {
  private readonly clock: Clock;

  constructor(private readonly deps: CustomerCareDeps) {
    this.clock = deps.clock ?? (() => new Date());
  }

  private async get(key: { pk: string; sk: string }): Promise<Item | undefined> {
    const { Item } = await this.deps.client.send(
      new GetCommand({ TableName: this.deps.tableName, Key: key, ConsistentRead: true }),
    );
    return Item;
  }

  /** Runs a conditional update; `undefined` when its condition did not hold. */
  private async update(
    input: Omit<ConstructorParameters<typeof UpdateCommand>[0], 'TableName'>,
  ): Promise<Item | undefined> {
    try {
      const { Attributes } = await this.deps.client.send(
        new UpdateCommand({ TableName: this.deps.tableName, ...input }),
      );
      return Attributes ?? {};
    } catch (error) {
      if (isConditionFailed(error)) return undefined;
      throw error;
    }
  }

  private async record(event: CareEvent): Promise<void> {
    const owner = event.invoiceId ? invoiceKey(event.invoiceId) : customerKey(event.customerId);
    await this.deps.client.send(
      new PutCommand({
        TableName: this.deps.tableName,
        Item: { ...careKey(owner, event.at, event.action), type: 'care', ...event },
      }),
    );
  }

  async pause(request: PauseRequest): Promise<Customer> {
    const at = this.clock().toISOString();
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
    if (!item) throw unknownCustomer(request.customerId);
    await this.record({
      at,
      action: 'paused',
      by: 'operator',
      customerId: request.customerId,
      until: request.until,
      ...(request.reason ? { reason: request.reason } : {}),
    });
    return itemToCustomer(item);
  }

  async resume(customerId: string, reason?: string): Promise<ResumeOutcome> {
    const at = this.clock().toISOString();
    // Only a customer held back is resumed: a resume of an active one changes and records nothing.
    const old = await this.update({
      Key: customerKey(customerId),
      UpdateExpression: 'SET #status = :active REMOVE pausedUntil, pauseReason',
      ConditionExpression:
        'attribute_exists(pk) AND ((attribute_exists(#status) AND #status <> :active) OR attribute_exists(pausedUntil))',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':active': 'active' },
      ReturnValues: 'ALL_OLD',
    });
    if (!old) {
      const current = await this.get(customerKey(customerId));
      if (!current) throw unknownCustomer(customerId);
      const customer = itemToCustomer(current);
      return { customer, previous: customer, changed: false };
    }
    const previous = itemToCustomer(old);
    await this.record({
      at,
      action: 'resumed',
      by: 'operator',
      customerId,
      previousStatus: previous.pausedUntil
        ? `${previous.status}, paused until ${previous.pausedUntil}`
        : previous.status,
      ...(reason ? { reason } : {}),
    });
    const { pausedUntil: _until, pauseReason: _reason, ...rest } = previous;
    return { customer: { ...rest, status: 'active' }, previous, changed: true };
  }

  /**
   * Sets a status that stops reminders, only over the statuses listed in `over`; `unchanged` when the
   * customer already stands elsewhere (a second click, a bounce after an opt-out).
   */
  private async setStatus(
    customerId: string,
    status: 'opted_out' | 'bounced',
    over: readonly string[],
    at: string,
  ): Promise<CareOutcome> {
    const allowed = over.map((_, index) => `#status = :over${index}`).join(' OR ');
    const changed = await this.update({
      Key: customerKey(customerId),
      UpdateExpression: `SET #status = :status, #at = :at`,
      ConditionExpression: `attribute_exists(pk) AND (attribute_not_exists(#status) OR ${allowed})`,
      ExpressionAttributeNames: {
        '#status': 'status',
        '#at': status === 'opted_out' ? 'optedOutAt' : 'bouncedAt',
      },
      ExpressionAttributeValues: {
        ':status': status,
        ':at': at,
        ...Object.fromEntries(over.map((value, index) => [`:over${index}`, value])),
      },
    });
    if (changed) return 'changed';
    if (!(await this.get(customerKey(customerId)))) throw unknownCustomer(customerId);
    return 'unchanged';
  }

  async optOut(customerId: string, by: CareActor): Promise<CareOutcome> {
    const at = this.clock().toISOString();
    const outcome = await this.setStatus(customerId, 'opted_out', ['active', 'bounced', 'disputed'], at);
    if (outcome === 'changed') await this.record({ at, action: 'opted_out', by, customerId });
    return outcome;
  }

  async applyMailVerdict(verdict: MailVerdict): Promise<MailOutcome> {
    const customers = await findCustomersByEmail(this.deps.client, this.deps.tableName, verdict.email);
    const outcomes = [];
    for (const customer of customers) {
      const outcome: CareOutcome =
        verdict.action === 'bounced'
          ? await this.setStatus(customer.customerId, 'bounced', ['active'], verdict.at)
          : verdict.action === 'complained'
            ? await this.setStatus(
                customer.customerId,
                'opted_out',
                ['active', 'bounced', 'disputed'],
                verdict.at,
              )
            : 'unchanged';
      // Every bounce and complaint is kept, also a soft one and one that changed nothing: the
      // record is keyed by its instant and action, so a redelivered event overwrites its own record.
      await this.record({
        at: verdict.at,
        action: verdict.action,
        by: 'mail',
        customerId: customer.customerId,
        reason: verdict.reason,
        reference: verdict.reference,
      });
      outcomes.push({ customerId: customer.customerId, outcome });
    }
    return { verdict, customers: outcomes };
  }

  async dispute(invoiceId: string, reason: string, by: CareActor = 'operator'): Promise<DisputeOutcome> {
    const at = this.clock().toISOString();
    // The invoice keeps its place in the due index: the next run that reaches it records the skip
    // (`disputed`) and takes it out, as for any flag.
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
    const invoice = item ? itemToInvoice(item) : await this.readInvoice(invoiceId);
    if (!item) return { outcome: 'unchanged', invoiceId, customerId: invoice.customerId };
    await this.record({
      at,
      action: 'disputed',
      by,
      customerId: invoice.customerId,
      invoiceId,
      reason,
    });
    return { outcome: 'changed', invoiceId, customerId: invoice.customerId };
  }

  private async readInvoice(invoiceId: string): Promise<Invoice> {
    const item = await this.get(invoiceKey(invoiceId));
    if (!item) throw unknownInvoice(invoiceId);
    return itemToInvoice(item);
  }

  /**
   * Clears `flag` from the invoice and puts it back on its schedule, in one write conditioned on the
   * version read (a run's claim or a payment in between makes it re-read), then records `care` with
   * the customer's id. No `cleared` when the invoice does not carry the flag.
   */
  private async clearFlag(
    invoiceId: string,
    flag: string,
    extraRemove: readonly string[],
    care: Omit<CareEvent, 'at' | 'customerId' | 'invoiceId' | 'by'>,
  ): Promise<{ invoice: Invoice; cleared?: { flags: string[]; next: Date | undefined } }> {
    const at = this.clock().toISOString();
    for (let attempt = 1; ; attempt += 1) {
      const invoice = await this.readInvoice(invoiceId);
      if (!invoice.flags.includes(flag)) return { invoice };
      const customer = await this.get(customerKey(invoice.customerId));
      const zone = (customer ? itemToCustomer(customer).timeZone : undefined) ?? this.deps.defaultTimeZone;
      const { flags, next } = withoutFlag(invoice, flag, zone, this.deps.policy);
      const values: Record<string, unknown> = {
        ':flags': flags,
        ':read': invoice.version,
        ':zero': 0,
        ':one': 1,
      };
      const set = ['flags = :flags', 'version = if_not_exists(version, :zero) + :one'];
      const remove = [...extraRemove];
      if (next) {
        const keys = dueIndexKeys(invoiceId, next);
        set.push('nextActionAt = :next', 'dueShard = :shard', 'dueAt = :dueAt');
        Object.assign(values, { ':next': next.toISOString(), ':shard': keys.dueShard, ':dueAt': keys.dueAt });
      } else {
        remove.push('nextActionAt', 'dueShard', 'dueAt');
      }
      const written = await this.update({
        Key: invoiceKey(invoiceId),
        UpdateExpression: `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`,
        ConditionExpression:
          invoice.version === 0 ? '(attribute_not_exists(version) OR version = :read)' : 'version = :read',
        ExpressionAttributeValues: values,
      });
      if (written) {
        await this.record({ ...care, at, by: 'operator', customerId: invoice.customerId, invoiceId });
        return { invoice, cleared: { flags, next } };
      }
      if (attempt >= MAX_ATTEMPTS) throw new Error(`invoice ${invoiceId} kept changing; try again`);
    }
  }

  async undispute(invoiceId: string, reason?: string): Promise<DisputeOutcome> {
    const { invoice, cleared } = await this.clearFlag(invoiceId, DISPUTED_FLAG, ['disputeReason'], {
      action: 'undisputed',
      ...(reason ? { reason } : {}),
    });
    const { customerId } = invoice;
    if (!cleared) return { outcome: 'unchanged', invoiceId, customerId };
    return {
      outcome: 'changed',
      invoiceId,
      customerId,
      ...(cleared.next ? { nextActionAt: cleared.next.toISOString() } : {}),
    };
  }

  async resolve({ invoiceId, flag, reason }: ResolveRequest): Promise<ResolveOutcome> {
    const { invoice, cleared } = await this.clearFlag(invoiceId, flag, [], {
      action: 'resolved',
      flag,
      reason,
    });
    if (!cleared) throw flagNotCarried(invoiceId, flag, invoice.flags);
    return {
      invoiceId,
      customerId: invoice.customerId,
      flag,
      flags: cleared.flags,
      ...(cleared.next ? { nextActionAt: cleared.next.toISOString() } : {}),
    };
  }

  async history(customerId: string, invoiceId?: string): Promise<CareEvent[]> {
    const partitions = [customerKey(customerId).pk, ...(invoiceId ? [invoiceKey(invoiceId).pk] : [])];
    const pages = await Promise.all(
      partitions.map((pk) =>
        this.deps.client.send(
          new QueryCommand({
            TableName: this.deps.tableName,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :care)',
            ExpressionAttributeValues: { ':pk': pk, ':care': CARE_PREFIX },
            ConsistentRead: true,
          }),
        ),
      ),
    );
    return pages
      .flatMap((page) => page.Items ?? [])
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
