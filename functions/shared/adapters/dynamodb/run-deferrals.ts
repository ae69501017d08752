import { DeleteCommand, type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Deferral, DeferralBook, WaitingCustomer } from '../../domain/run/ports.ts';
import { isConditionFailed } from './conditions.ts';
import { DEFERRAL_KIND, deferralKey, deferralKindKeys, expiresInDays, isExpired } from './keys.ts';
import { queryAll } from './paging.ts';

/** A deferral as the store keeps it until the customer's opening has come and the run took it. */
export type StoredDeferral = WaitingCustomer;

/**
 * Customers waiting for an opening, kept in the Ledger table and listed by the byKind index in the
 * order they fall due. In AWS one schedule per opening instant wakes the run that takes them; locally
 * `dunning dev`'s loop does. Being in the store, a restart loses none.
 */
export class RunDeferrals implements DeferralBook {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async put(deferral: Deferral): Promise<'scheduled' | 'already_scheduled'> {
    const at = deferral.opening.instant;
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...deferralKey(deferral.customerId, at),
            ...deferralKindKeys(deferral.customerId, at),
            type: 'deferral',
            customerId: deferral.customerId,
            runId: deferral.runId,
            at: at.toISOString(),
            localDateTime: deferral.opening.localDateTime,
            timeZone: deferral.opening.timeZone,
            // Kept a month past the later of its opening and now (a run may be as of a simulated day).
            expiresAt: expiresInDays(new Date(Math.max(at.getTime(), this.now().getTime())), 30),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return 'scheduled';
    } catch (error) {
      if (isConditionFailed(error)) return 'already_scheduled';
      throw error;
    }
  }

  /** Deferrals whose opening is at or before `asOf`, oldest first. */
  async due(asOf: Date): Promise<StoredDeferral[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      IndexName: 'byKind',
      KeyConditionExpression: 'kind = :kind AND kindSk <= :upTo',
      ExpressionAttributeValues: { ':kind': DEFERRAL_KIND, ':upTo': `${asOf.toISOString()}#\uffff` },
    });
    const now = this.now();
    return items
      .filter((item) => !isExpired(item, now))
      .map((item) => ({
        customerId: String(item.customerId),
        runId: String(item.runId),
        at: new Date(String(item.at)),
      }));
  }

  async complete(deferral: StoredDeferral): Promise<void> {
    await this.client.send(
      new DeleteCommand({ TableName: this.tableName, Key: deferralKey(deferral.customerId, deferral.at) }),
    );
  }
}
