import { DeleteCommand, type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { InvoicePaymentEvent, PaymentEvent } from '../../domain/payments/event.ts';
import type { UnmatchedEventStore } from '../../domain/payments/ports.ts';
import { isConditionFailed } from './conditions.ts';
import { unmatchedEventKey } from './keys.ts';
import { queryAll } from './paging.ts';

/** GSI byKind partition listing every unmatched event for an operator, oldest first. */
export const UNMATCHED_EVENT_KIND = 'UNMATCHED_EVENT';

/** An event kept for an operator; one without `invoiceId` is a refund waiting for its payment. */
export type UnmatchedEvent = PaymentEvent & { readonly receivedAt: string };
export type UnmatchedInvoiceEvent = InvoicePaymentEvent & { readonly receivedAt: string };

// The event sits in its own map: its `type` and `kind` would collide with the item's own attributes
// (`kind` is the byKind index key). A money id's item (payment-references.ts) holds a list of them.
const itemToEvents = (item: Record<string, unknown>): UnmatchedEvent[] =>
  (Array.isArray(item.pending) ? (item.pending as PaymentEvent[]) : [item.event as PaymentEvent]).map(
    (event) => ({ ...event, receivedAt: item.receivedAt as string }),
  );

/**
 * Webhook events whose invoice is not in the store: `UNMATCHED#<invoiceId>` / `EVENT#<eventId>`, so
 * an import finds its invoice's events with one query, and listed for operators through GSI byKind.
 */
export class DynamoUnmatchedEvents implements UnmatchedEventStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async put(event: InvoicePaymentEvent, receivedAt: Date): Promise<'stored' | 'exists'> {
    const at = receivedAt.toISOString();
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...unmatchedEventKey(event.invoiceId, event.eventId),
            type: 'unmatched_event',
            kind: UNMATCHED_EVENT_KIND,
            kindSk: `${at}#${event.eventId}`,
            event,
            receivedAt: at,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return 'stored';
    } catch (error) {
      if (isConditionFailed(error)) return 'exists';
      throw error;
    }
  }

  async list(invoiceId: string): Promise<UnmatchedInvoiceEvent[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': unmatchedEventKey(invoiceId, '').pk },
      ConsistentRead: true,
    });
    return (items.flatMap(itemToEvents) as UnmatchedInvoiceEvent[]).sort((a, b) =>
      a.receivedAt.localeCompare(b.receivedAt),
    );
  }

  async remove(invoiceId: string, eventId: string): Promise<void> {
    await this.client.send(
      new DeleteCommand({ TableName: this.tableName, Key: unmatchedEventKey(invoiceId, eventId) }),
    );
  }

  /** Every unmatched event in the store, oldest first: the operator's listing, waiting refunds included. */
  async listAll(): Promise<UnmatchedEvent[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      IndexName: 'byKind',
      KeyConditionExpression: 'kind = :kind',
      ExpressionAttributeValues: { ':kind': UNMATCHED_EVENT_KIND },
    });
    return items.flatMap(itemToEvents);
  }
}
