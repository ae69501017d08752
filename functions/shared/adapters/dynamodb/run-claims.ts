import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { withStageCharges } from '../../domain/charges.ts';
import { feeChargeKey, type Invoice, type StageClaim } from '../../domain/model.ts';
import type { SentRecord } from '../../domain/run/ports.ts';
import { isConditionFailed } from './conditions.ts';
import { dueIndexKeys, invoiceKey } from './keys.ts';

/**
 * The invoice side of at-most-once: one conditional UpdateItem per step on the invoice item. The
 * claim exists before the email leaves; whatever happens after, no second claim for that stage can.
 */

type Update = {
  set: string[];
  remove: string[];
  names: Record<string, string>;
  values: Record<string, unknown>;
};

const emptyUpdate = (): Update => ({ set: [], remove: [], names: {}, values: {} });

/** Places the invoice in the due index at its next action, or takes it out when there is none. */
const placeInIndex = (update: Update, invoiceId: string, next: Date | undefined): void => {
  if (next) {
    const keys = dueIndexKeys(invoiceId, next);
    update.set.push('nextActionAt = :next', 'dueShard = :shard', 'dueAt = :dueAt');
    Object.assign(update.values, {
      ':next': next.toISOString(),
      ':shard': keys.dueShard,
      ':dueAt': keys.dueAt,
    });
  } else {
    update.remove.push('nextActionAt', 'dueShard', 'dueAt');
  }
};

const expression = (update: Update): string =>
  [
    update.set.length ? `SET ${update.set.join(', ')}` : '',
    update.remove.length ? `REMOVE ${update.remove.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join(' ');

/** The version the invoice was read at; an item written before versions existed counts as 0. */
const versionCondition = (invoice: Invoice, values: Record<string, unknown>): string => {
  values[':version'] = invoice.version;
  return invoice.version === 0
    ? '(attribute_not_exists(version) OR version = :version)'
    : 'version = :version';
};

/** The stage's fee leaves the ledger with its claim; an item claimed before the ledger has none. */
const dropFeeEntry = (update: Update, invoice: Invoice, claim: StageClaim): void => {
  if (invoice.charges === undefined) return;
  update.remove.push('charges.#feeKey');
  update.names['#feeKey'] = feeChargeKey(claim.stage);
};

export class RunClaims {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** One conditional UpdateItem of the invoice that moves its version on; false when the condition failed. */
  private async update(invoiceId: string, update: Update, condition: string): Promise<boolean> {
    update.set.push('version = if_not_exists(version, :zero) + :one');
    Object.assign(update.values, { ':zero': 0, ':one': 1 });
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: invoiceKey(invoiceId),
          UpdateExpression: expression(update),
          ConditionExpression: condition,
          ExpressionAttributeNames: Object.keys(update.names).length ? update.names : undefined,
          ExpressionAttributeValues: update.values,
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailed(error)) return false;
      throw error;
    }
  }

  /**
   * Claims the stage: only if no claim for it exists, the invoice is open, and nothing changed since
   * it was read (a payment bumps the version). The fee is charged in the same write, so at most once.
   * The claimed invoice is worked out here rather than sent back: the condition held only if the item
   * was `invoice` itself, so what it is now follows from the update alone.
   */
  async claimStage(invoice: Invoice, claim: StageClaim): Promise<Invoice | undefined> {
    const update = emptyUpdate();
    const charges = withStageCharges(invoice, claim);
    update.names = { '#stage': claim.stage, '#status': 'status' };
    // The whole ledger, as read and with this stage's fee: the version condition keeps it exact.
    update.set.push(
      'claims.#stage = :claim',
      'feesCharged = if_not_exists(feesCharged, :zero) + :fee',
      'charges = :charges',
    );
    Object.assign(update.values, {
      ':claim': claim,
      ':fee': claim.fee ?? 0,
      ':open': 'open',
      ':charges': charges,
    });
    const condition = `attribute_not_exists(claims.#stage) AND #status = :open AND ${versionCondition(invoice, update.values)}`;
    if (!(await this.update(invoice.invoiceId, update, condition))) return undefined;
    return {
      ...invoice,
      claims: { ...invoice.claims, [claim.stage]: claim },
      feesCharged: invoice.feesCharged + (claim.fee ?? 0),
      charges,
      version: invoice.version + 1,
    };
  }

  /** The message id is in: the claim becomes `sent` with it, in one write, and the index moves on. */
  async recordSent(invoice: Invoice, record: SentRecord): Promise<void> {
    const update = emptyUpdate();
    update.names = { '#stage': record.stage, '#status': 'status', '#currentStage': 'stage' };
    update.set.push(
      'claims.#stage.#status = :sent',
      'claims.#stage.sentAt = :sentAt',
      'claims.#stage.messageId = :messageId',
      '#currentStage = :stageName',
    );
    Object.assign(update.values, {
      ':sent': 'sent',
      ':sentAt': record.sentAt,
      ':messageId': record.messageId,
      ':stageName': record.stage,
      ':runId': record.runId,
    });
    placeInIndex(update, invoice.invoiceId, record.nextActionAt);
    if (record.callTask) {
      update.set.push('#status = :handedOff', 'callTask = :callTask');
      Object.assign(update.values, { ':handedOff': 'handed_off', ':callTask': record.callTask });
    }
    // Conditioned on our run only: even if a slow send let another run flag the claim `unknown`, the
    // message id we hold is the truth. The claim, now `sent` with its message id, time and fee, is the
    // reminder's record (`dunning show` and the report read it): no second item repeats it.
    await this.update(invoice.invoiceId, update, 'claims.#stage.runId = :runId');
  }

  private settle(
    invoice: Invoice,
    claim: StageClaim,
    status: 'failed' | 'unknown',
    nextActionAt: Date | undefined,
    refundFee: boolean,
  ) {
    const update = emptyUpdate();
    update.names = { '#stage': claim.stage, '#status': 'status', '#currentStage': 'stage' };
    update.set.push('claims.#stage.#status = :settled', '#currentStage = :stageName');
    Object.assign(update.values, {
      ':settled': status,
      ':claimed': 'claimed',
      ':runId': claim.runId,
      ':stageName': claim.stage,
    });
    if (refundFee && claim.fee) {
      update.set.push('feesCharged = feesCharged - :fee');
      update.values[':fee'] = claim.fee;
      dropFeeEntry(update, invoice, claim);
    }
    if (status === 'unknown') {
      update.set.push('needsAttention = :attention');
      update.values[':attention'] =
        `reminder "${claim.stage}" may or may not have been sent (run ${claim.runId})`;
    }
    placeInIndex(update, invoice.invoiceId, nextActionAt);
    return this.update(
      invoice.invoiceId,
      update,
      'claims.#stage.#status = :claimed AND claims.#stage.runId = :runId',
    );
  }

  async recordFailed(invoice: Invoice, claim: StageClaim, nextActionAt: Date | undefined): Promise<void> {
    await this.settle(invoice, claim, 'failed', nextActionAt, true);
  }

  async markUnknown(invoice: Invoice, claim: StageClaim, nextActionAt: Date | undefined): Promise<void> {
    await this.settle(invoice, claim, 'unknown', nextActionAt, false);
  }

  /** Nothing was sent: the claim and its fee go, the invoice stays due for a later run. */
  async releaseClaim(invoice: Invoice, claim: StageClaim): Promise<void> {
    const update = emptyUpdate();
    update.names = { '#stage': claim.stage, '#status': 'status' };
    update.remove.push('claims.#stage');
    update.set.push('feesCharged = feesCharged - :fee');
    if (claim.fee) dropFeeEntry(update, invoice, claim);
    Object.assign(update.values, { ':fee': claim.fee ?? 0, ':claimed': 'claimed', ':runId': claim.runId });
    await this.update(
      invoice.invoiceId,
      update,
      'claims.#stage.#status = :claimed AND claims.#stage.runId = :runId',
    );
  }

  /** Moves the invoice in (or out of) the due index unless it changed since read; a lost race is fine. */
  async reindex(invoice: Invoice, nextActionAt: Date | undefined): Promise<void> {
    if (invoice.nextActionAt === nextActionAt?.toISOString() && nextActionAt) return;
    const update = emptyUpdate();
    placeInIndex(update, invoice.invoiceId, nextActionAt);
    await this.update(invoice.invoiceId, update, versionCondition(invoice, update.values));
  }
}
