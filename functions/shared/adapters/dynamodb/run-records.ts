import { type DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { localDate } from '../../domain/calendar.ts';
import type { Customer, Skip } from '../../domain/model.ts';
import type { CustomerClaim, InvoiceFailure } from '../../domain/run/ports.ts';
import { unlessConditionFailed as conditional } from './conditions.ts';
import { claimKey, customerKey, expiresInDays, invoiceKey, skipKey } from './keys.ts';

/** How long skip records stay in the audit trail. */
const SKIP_RETENTION_DAYS = 400;

/** Skip records, the customer's minimum-gap claim and the digest claim: one item, one write each. */
export class RunRecords {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async recordSkip(skip: Skip & { readonly stage?: string }): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          // The reason is part of the key: one run may skip an invoice twice for different reasons.
          ...skipKey(skip.invoiceId, skip.at, `${skip.runId}#${skip.reason}`),
          type: 'skip',
          ...skip,
          expiresAt: expiresInDays(this.now(), SKIP_RETENTION_DAYS),
        },
      }),
    );
  }

  /**
   * A `failed` record in the invoice's audit trail (beside its skips, with the reason as `detail`),
   * and `lastFailedAt` on the invoice, which orders the customer last in the next attempt. The mark
   * leaves the version alone: it changes nothing a claim or payment decides on.
   */
  async recordFailure(failure: InvoiceFailure): Promise<void> {
    const { invoiceId, at, runId, reason, stage } = failure;
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...skipKey(invoiceId, at, `${runId}#failed`),
          type: 'skip',
          invoiceId,
          at,
          runId,
          reason: 'failed',
          detail: reason,
          ...(stage ? { stage } : {}),
          expiresAt: expiresInDays(this.now(), SKIP_RETENTION_DAYS),
        },
      }),
    );
    await conditional(() =>
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: invoiceKey(invoiceId),
          UpdateExpression: 'SET lastFailedAt = :at',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':at': this.now().toISOString() },
        }),
      ),
    );
  }

  /**
   * Two runs at once: the first to move `lastReminderAt` past the gap boundary wins the customer. The
   * run's own id lets a retried invocation of the same run take it again.
   */
  async claimCustomer(
    customer: Customer,
    at: string,
    boundary: string,
    runId: string,
  ): Promise<CustomerClaim | undefined> {
    const result = await conditional(() =>
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: customerKey(customer.customerId),
          UpdateExpression: 'SET lastReminderAt = :at, reminderRunId = :runId',
          // The customer's standing is part of the claim: a pause, opt-out or bounce written after the
          // run read the customer stops this reminder here, not after it went out.
          ConditionExpression:
            'attribute_exists(pk) AND (attribute_not_exists(lastReminderAt) OR lastReminderAt < :boundary OR reminderRunId = :runId)' +
            ' AND (attribute_not_exists(#status) OR #status = :active)' +
            ' AND (attribute_not_exists(pausedUntil) OR pausedUntil <= :today)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':at': at,
            ':runId': runId,
            ':boundary': boundary,
            ':active': 'active',
            ':today': localDate(new Date(at), customer.timeZone),
          },
          ReturnValues: 'UPDATED_OLD',
        }),
      ),
    );
    if (!result) return undefined;
    const previous = result.Attributes?.lastReminderAt;
    return typeof previous === 'string' ? { previousReminderAt: previous } : {};
  }

  async releaseCustomer(customer: Customer, at: string, runId: string, claim: CustomerClaim): Promise<void> {
    await conditional(() =>
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: customerKey(customer.customerId),
          UpdateExpression: claim.previousReminderAt
            ? 'SET lastReminderAt = :previous REMOVE reminderRunId'
            : 'REMOVE lastReminderAt, reminderRunId',
          ConditionExpression: 'lastReminderAt = :at AND reminderRunId = :runId',
          ExpressionAttributeValues: {
            ':at': at,
            ':runId': runId,
            ...(claim.previousReminderAt ? { ':previous': claim.previousReminderAt } : {}),
          },
        }),
      ),
    );
  }

  async claimDigest(runId: string): Promise<boolean> {
    const written = await conditional(() =>
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...claimKey('digest', runId),
            claimedAt: this.now().toISOString(),
            expiresAt: expiresInDays(this.now(), 30),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
    return written !== undefined;
  }
}
