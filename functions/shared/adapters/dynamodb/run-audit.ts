import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Skip } from '../../domain/model.ts';
import { paymentLines } from '../../domain/payments/lines.ts';
import type { InvoiceAudit, ReminderRecord } from '../../domain/run/audit.ts';
import { itemToAnswer } from './answer-store.ts';
import { careEventOf } from './customer-care-store.ts';
import {
  ANSWER_PREFIX,
  CARE_PREFIX,
  customerKey,
  invoiceKey,
  isExpired,
  PAYMENT_PREFIX,
  REMINDER_PREFIX,
  SKIP_PREFIX,
} from './keys.ts';
import { itemToCustomer, itemToInvoice } from './ledger-items.ts';
import { queryAll } from './paging.ts';
import { itemToRecord } from './payment-ledger.ts';

/** One consistent Query of the invoice's partition (invoice, payments, reminders, skips) and its customer. */
export const readInvoiceAudit = async (
  client: DynamoDBDocumentClient,
  tableName: string,
  invoiceId: string,
  now: Date = new Date(),
): Promise<InvoiceAudit | undefined> => {
  const items = (
    await queryAll(client, {
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': invoiceKey(invoiceId).pk },
      ConsistentRead: true,
    })
  ).filter((item) => !isExpired(item, now));
  const invoiceItem = items.find((item) => item.sk === invoiceKey(invoiceId).sk);
  if (!invoiceItem) return undefined;
  const invoice = itemToInvoice(invoiceItem);
  const [{ Item: customerItem }, customerCare, answerItems] = await Promise.all([
    client.send(
      new GetCommand({ TableName: tableName, Key: customerKey(invoice.customerId), ConsistentRead: true }),
    ),
    queryAll(client, {
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :care)',
      ExpressionAttributeValues: { ':pk': customerKey(invoice.customerId).pk, ':care': CARE_PREFIX },
      ConsistentRead: true,
    }),
    // The customer's answers from reminders' links; those naming this invoice are shown.
    queryAll(client, {
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :answer)',
      FilterExpression: 'contains(invoiceIds, :invoice)',
      ExpressionAttributeValues: {
        ':pk': customerKey(invoice.customerId).pk,
        ':answer': ANSWER_PREFIX,
        ':invoice': invoiceId,
      },
      ConsistentRead: true,
    }),
  ]);
  const startsWith = (prefix: string) => items.filter((item) => String(item.sk).startsWith(prefix));
  return {
    invoice,
    ...(invoiceItem.callTask ? { callTask: invoiceItem.callTask } : {}),
    ...(typeof invoiceItem.needsAttention === 'string' ? { needsAttention: invoiceItem.needsAttention } : {}),
    ...(customerItem ? { customer: itemToCustomer(customerItem) } : {}),
    payments: paymentLines(invoice, startsWith(PAYMENT_PREFIX).map(itemToRecord)),
    reminders: startsWith(REMINDER_PREFIX) as unknown as ReminderRecord[],
    skips: (startsWith(SKIP_PREFIX) as unknown as Skip[]).sort((a, b) => a.at.localeCompare(b.at)),
    answers: answerItems.map(itemToAnswer),
    care: [...customerCare, ...startsWith(CARE_PREFIX)]
      .map(careEventOf)
      .sort((a, b) => a.at.localeCompare(b.at)),
  };
};
