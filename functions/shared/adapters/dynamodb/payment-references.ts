import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { PaymentEvent } from '../../domain/payments/event.ts';
import type { PaymentReferences } from '../../domain/payments/ports.ts';
import { isConditionFailed } from './conditions.ts';
import { paymentRefKey } from './keys.ts';
import { UNMATCHED_EVENT_KIND } from './unmatched-events.ts';

/** Refunds one money id holds while no invoice knows it; Stripe sends a few per charge at most. */
const MAX_WAITING = 50;
/** BatchGetItem reads at most 100 keys. */
const MAX_LOOKUP = 100;

/**
 * `REF#<ref>` / `REF`: the invoice a money id belongs to (`invoiceId`), and the refunds waiting for it
 * (`pending`, listed for operators through GSI byKind like the other unmatched events until their
 * payment arrives). Binding the id and taking its waiting refunds is one update, as is adding a
 * waiting refund only while the id is unbound: a refund and its payment arriving together never miss
 * each other. See docs/data-model.md, "Payments".
 */
export class DynamoPaymentReferences implements PaymentReferences {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async invoiceOf(refs: readonly string[]): Promise<string | undefined> {
    const unique = [...new Set(refs)].slice(0, MAX_LOOKUP);
    if (unique.length === 0) return undefined;
    const found = new Map<string, string>();
    let keys: Record<string, unknown>[] | undefined = unique.map(paymentRefKey);
    while (keys?.length) {
      const page: BatchGetCommandOutput = await this.client.send(
        new BatchGetCommand({
          RequestItems: {
            [this.tableName]: { Keys: keys, ConsistentRead: true, ProjectionExpression: 'pk, invoiceId' },
          },
        }),
      );
      for (const item of page.Responses?.[this.tableName] ?? [])
        if (typeof item.invoiceId === 'string') found.set(String(item.pk), item.invoiceId);
      keys = page.UnprocessedKeys?.[this.tableName]?.Keys;
    }
    return unique.map((ref) => found.get(paymentRefKey(ref).pk)).find((invoiceId) => invoiceId !== undefined);
  }

  async bind(refs: readonly string[], invoiceId: string): Promise<PaymentEvent[]> {
    // One item per id, each bound on its own: together they are one round trip.
    const bound = await Promise.all(
      refs.map((ref) =>
        this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: paymentRefKey(ref),
            UpdateExpression: 'SET invoiceId = :invoiceId, #type = :type',
            ExpressionAttributeNames: { '#type': 'type' },
            ExpressionAttributeValues: { ':invoiceId': invoiceId, ':type': 'payment_ref' },
            ReturnValues: 'ALL_OLD',
          }),
        ),
      ),
    );
    return bound.flatMap(({ Attributes }) => (Attributes?.pending as PaymentEvent[] | undefined) ?? []);
  }

  async wait(event: PaymentEvent, receivedAt: Date): Promise<{ readonly bound?: string }> {
    const ref = waitingRef(event);
    const at = receivedAt.toISOString();
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: paymentRefKey(ref),
          UpdateExpression:
            'SET pending = list_append(if_not_exists(pending, :none), :event), #type = :type, kind = :kind, kindSk = if_not_exists(kindSk, :kindSk), receivedAt = if_not_exists(receivedAt, :at)',
          ConditionExpression:
            'attribute_not_exists(invoiceId) AND (attribute_not_exists(pending) OR size(pending) < :max)',
          ExpressionAttributeNames: { '#type': 'type' },
          ExpressionAttributeValues: {
            ':none': [],
            ':event': [event],
            ':type': 'payment_ref',
            ':kind': UNMATCHED_EVENT_KIND,
            ':kindSk': `${at}#${ref}`,
            ':at': at,
            ':max': MAX_WAITING,
          },
        }),
      );
      return {};
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
      // Bound in the meantime (apply it there), or already holding as many refunds as it may.
      const bound = await this.invoiceOf([ref]);
      return bound ? { bound } : {};
    }
  }

  async release(refs: readonly string[]): Promise<void> {
    // Once bound no refund is added, so everything pending was handed to the caller by `bind`.
    for (const ref of refs)
      await this.client
        .send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: paymentRefKey(ref),
            UpdateExpression: 'REMOVE pending, kind, kindSk, receivedAt',
            ConditionExpression: 'attribute_exists(invoiceId)',
          }),
        )
        .catch((error: unknown) => {
          if (!isConditionFailed(error)) throw error;
        });
  }
}

/**
 * Where an event waits: a refund under its PaymentIntent, else its Charge (the ids a payment event
 * binds); a Stripe invoice's payment under that invoice.
 */
export const waitingRef = (event: PaymentEvent): string =>
  (event.kind === 'payment' ? event.group : undefined) ??
  event.refs.find((ref) => ref.startsWith('stripe:pi_')) ??
  (event.refs[0] as string);
