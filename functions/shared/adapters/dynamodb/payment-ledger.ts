import { type DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Invoice, Payment } from '../../domain/model.ts';
import type { InvoiceChange } from '../../domain/payments/apply.ts';
import { type InvoiceLedger, paymentLines } from '../../domain/payments/lines.ts';
import type { PaymentLedger, PaymentRecord } from '../../domain/payments/ports.ts';
import { isConditionFailed } from './conditions.ts';
import { dueIndexKeys, invoiceKey, PAYMENT_PREFIX, paymentKey } from './keys.ts';
import { LedgerReader } from './ledger-reader.ts';
import { queryAll } from './paging.ts';

/** The invoice update of one payment event: settlements, amounts, status and due-index place together. */
export const invoiceChangeUpdate = (invoiceId: string, change: InvoiceChange) => {
  const names: Record<string, string> = { '#status': 'status', '#version': 'version' };
  const values: Record<string, unknown> = {
    ':received': change.amountReceived,
    ':status': change.status,
    ':flags': change.flags,
    ':recent': change.recentEventIds,
    ':settlements': change.settlements,
    ':base': change.receivedBase,
    ':expected': change.expectedVersion,
    ':next': change.expectedVersion + 1,
    ':eventId': change.eventId,
  };
  const set = [
    'amountReceived = :received',
    '#status = :status',
    'flags = :flags',
    'appliedEventIds = :recent',
    'settlements = :settlements',
    'receivedBase = :base',
    '#version = :next',
  ];
  const remove: string[] = [];
  if (change.due.kind === 'remove') remove.push('nextActionAt', 'dueShard', 'dueAt');
  if (change.due.kind === 'set') {
    const keys = dueIndexKeys(invoiceId, change.due.at);
    Object.assign(values, {
      ':nextActionAt': change.due.at.toISOString(),
      ':dueShard': keys.dueShard,
      ':dueAt': keys.dueAt,
    });
    set.push('nextActionAt = :nextActionAt', 'dueShard = :dueShard', 'dueAt = :dueAt');
  }
  // Items imported before `version` existed read as version 0.
  const version =
    change.expectedVersion === 0
      ? '(attribute_not_exists(#version) OR #version = :expected)'
      : '#version = :expected';
  return {
    UpdateExpression: `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`,
    // The version alone decides; the event id check also refuses a write whose event is on the item.
    ConditionExpression: `attribute_exists(pk) AND NOT contains(appliedEventIds, :eventId) AND ${version}`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
};

// `kind` is the byKind index key on this table, so a payment's kind is stored as `paymentKind`.
const recordToItem = ({ kind, ...record }: PaymentRecord) => ({
  ...paymentKey(record.invoiceId, record.paymentId),
  type: 'payment',
  paymentKind: kind,
  ...record,
});

/**
 * The payment side of the Ledger table: payment records (`PAYMENT#<eventId>` under the invoice) and
 * the single conditional update that applies an event to its invoice. See docs/data-model.md,
 * "Payments".
 */
export class DynamoPaymentLedger implements PaymentLedger {
  private readonly reader: LedgerReader;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** Used when the invoice's customer is missing: the deployment's zone. */
    private readonly defaultTimeZone: string,
  ) {
    this.reader = new LedgerReader(client, tableName);
  }

  readInvoice(invoiceId: string): Promise<Invoice | undefined> {
    return this.reader.getInvoice(invoiceId);
  }

  async customerTimeZone(customerId: string): Promise<string> {
    return (await this.reader.getCustomer(customerId))?.timeZone ?? this.defaultTimeZone;
  }

  async putPaymentRecord(record: PaymentRecord): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: recordToItem(record),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
    }
  }

  async applyChange(invoiceId: string, change: InvoiceChange): Promise<'written' | 'conflict'> {
    const update = invoiceChangeUpdate(invoiceId, change);
    try {
      await this.client.send(
        new UpdateCommand({ TableName: this.tableName, Key: invoiceKey(invoiceId), ...update }),
      );
      return 'written';
    } catch (error) {
      if (isConditionFailed(error)) return 'conflict';
      throw error;
    }
  }

  /**
   * An invoice's payments for the audit trail, each with whether it counts, read against the invoice's
   * settlements (so a record left by a crash before the invoice update never reads as applied).
   */
  async listPayments(invoice: Pick<Invoice, 'invoiceId'> & InvoiceLedger): Promise<Payment[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': invoiceKey(invoice.invoiceId).pk, ':prefix': PAYMENT_PREFIX },
      ConsistentRead: true,
    });
    return paymentLines(invoice, items.map(itemToRecord));
  }
}

/** A payment record as stored (`paymentKind`, since `kind` is the byKind index key). */
export const itemToRecord = (item: Record<string, unknown>): PaymentRecord => {
  const { paymentKind, pk: _pk, sk: _sk, type: _type, ...rest } = item;
  return { ...(rest as unknown as Omit<PaymentRecord, 'kind'>), kind: paymentKind as PaymentRecord['kind'] };
};
