import {
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { AnswerRecord, InvoiceAnswer } from '../../domain/answers/kinds.ts';
import type { AnswerLink } from '../../domain/answers/link-token.ts';
import type { AnswerLedger, AnswerMail, AnswerSettlement, MailOutcome } from '../../domain/answers/ports.ts';
import type { Customer, Invoice } from '../../domain/model.ts';
import { unlessConditionFailed } from './conditions.ts';
import {
  ANSWER_PREFIX,
  answerKey,
  answerLinkKey,
  customerKey,
  dueIndexKeys,
  invoiceKey,
  isExpired,
} from './keys.ts';
import { type Item, itemToInvoice } from './ledger-items.ts';
import { RunReads } from './run-reads.ts';

/** Counters outlive their link by a day, so a link used at its last second is still counted. */
const COUNTER_SLACK_SECONDS = 86_400;

const ANSWER_FIELDS = [
  'answerId',
  'customerId',
  'kind',
  'at',
  'invoiceIds',
  'promisedFor',
  'paidOn',
  'reference',
  'message',
  'heldThrough',
  'linkId',
  'supersededBy',
] as const satisfies readonly (keyof AnswerRecord)[];

export const itemToAnswer = (item: Item): AnswerRecord =>
  Object.fromEntries(
    ANSWER_FIELDS.filter((field) => item[field] !== undefined).map((field) => [field, item[field]]),
  ) as unknown as AnswerRecord;

/**
 * The answers' writes of docs/answers.md: every step one conditional write on one item. An invoice's
 * answer is written only over the version read, so a run's claim or a payment in between wins and
 * the use case re-reads.
 */
export class DynamoAnswerLedger implements AnswerLedger, AnswerSettlement {
  private readonly reads: RunReads;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.reads = new RunReads(client, tableName, clock);
  }

  private async update(input: Omit<UpdateCommandInput, 'TableName'>): Promise<Item | undefined> {
    const written = await unlessConditionFailed(() =>
      this.client.send(new UpdateCommand({ TableName: this.tableName, ...input })),
    );
    return written && (written.Attributes ?? {});
  }

  async readCustomer(customerId: string): Promise<Customer | undefined> {
    return (await this.reads.readCustomers([customerId])).get(customerId);
  }

  readInvoices(invoiceIds: readonly string[]): Promise<Invoice[]> {
    return this.reads.readInvoices(invoiceIds);
  }

  async answersOf(customerId: string, limit: number): Promise<AnswerRecord[]> {
    const { Items = [] } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :answer)',
        ExpressionAttributeValues: { ':pk': customerKey(customerId).pk, ':answer': ANSWER_PREFIX },
        ScanIndexForward: false,
        Limit: limit,
        ConsistentRead: true,
      }),
    );
    return Items.map(itemToAnswer);
  }

  async countAnswer(link: AnswerLink, max: number): Promise<boolean> {
    const counted = await this.update({
      Key: answerLinkKey(link.customerId, link.linkId),
      UpdateExpression: 'ADD answers :one SET expiresAt = :expires',
      ConditionExpression: 'attribute_not_exists(answers) OR answers < :max',
      ExpressionAttributeValues: {
        ':one': 1,
        ':max': max,
        ':expires': link.expiresAt + COUNTER_SLACK_SECONDS,
      },
    });
    return counted !== undefined;
  }

  async uncountAnswer(link: AnswerLink): Promise<void> {
    await this.update({
      Key: answerLinkKey(link.customerId, link.linkId),
      UpdateExpression: 'ADD answers :minusOne',
      ConditionExpression: 'answers > :zero',
      ExpressionAttributeValues: { ':minusOne': -1, ':zero': 0 },
    });
  }

  async recordAnswer(record: AnswerRecord): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...answerKey(record.customerId, record.at, record.answerId), type: 'answer', ...record },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async holdInvoice(invoice: Invoice, answer: InvoiceAnswer, dueAt?: Date): Promise<boolean> {
    const values: Record<string, unknown> = {
      ':answer': answer,
      ':read': invoice.version,
      ':open': 'open',
      ':zero': 0,
      ':one': 1,
    };
    const set = ['answer = :answer', 'version = if_not_exists(version, :zero) + :one'];
    if (dueAt) {
      const keys = dueIndexKeys(invoice.invoiceId, dueAt);
      set.push('nextActionAt = :next', 'dueShard = :shard', 'dueAt = :dueAt');
      Object.assign(values, { ':next': dueAt.toISOString(), ':shard': keys.dueShard, ':dueAt': keys.dueAt });
    }
    const written = await this.update({
      Key: invoiceKey(invoice.invoiceId),
      UpdateExpression: `SET ${set.join(', ')}`,
      ConditionExpression: `#status = :open AND ${
        invoice.version === 0 ? '(attribute_not_exists(version) OR version = :read)' : 'version = :read'
      }`,
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: values,
    });
    return written !== undefined;
  }

  async markSuperseded(
    customerId: string,
    previous: Pick<InvoiceAnswer, 'answerId' | 'at'>,
    by: string,
  ): Promise<void> {
    await this.update({
      Key: answerKey(customerId, previous.at, previous.answerId),
      UpdateExpression: 'SET supersededBy = :by',
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(supersededBy)',
      ExpressionAttributeValues: { ':by': by },
    });
  }

  async claimMail(record: AnswerRecord, mail: AnswerMail): Promise<boolean> {
    const claimed = await this.update({
      Key: answerKey(record.customerId, record.at, record.answerId),
      UpdateExpression: 'SET #mail = :claimed',
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#mail)',
      ExpressionAttributeNames: { '#mail': mail },
      ExpressionAttributeValues: { ':claimed': { status: 'claimed', at: this.clock().toISOString() } },
    });
    return claimed !== undefined;
  }

  async recordMail(record: AnswerRecord, mail: AnswerMail, outcome: MailOutcome): Promise<void> {
    await this.update({
      Key: answerKey(record.customerId, record.at, record.answerId),
      UpdateExpression: 'SET #mail = :outcome',
      ConditionExpression: '#mail.#status = :claimed',
      ExpressionAttributeNames: { '#mail': mail, '#status': 'status' },
      ExpressionAttributeValues: {
        ':outcome': { ...outcome, at: this.clock().toISOString() },
        ':claimed': 'claimed',
      },
    });
  }

  async settle(
    invoice: Invoice,
    status: 'broken' | 'unmatched',
    at: string,
    handOff?: { readonly assignee: string; readonly runId: string },
  ): Promise<Invoice | undefined> {
    if (!invoice.answer) return undefined;
    const values: Record<string, unknown> = {
      ':status': status,
      ':at': at,
      ':read': invoice.version,
      ':id': invoice.answer.answerId,
      ':held': 'held',
      ':one': 1,
    };
    let expression = 'SET answer.#status = :status, answer.settledAt = :at, version = version + :one';
    if (handOff) {
      expression += ', #status = :handedOff, callTask = :task REMOVE nextActionAt, dueShard, dueAt';
      Object.assign(values, {
        ':handedOff': 'handed_off',
        ':task': {
          createdAt: at,
          stage: 'broken_promise',
          runId: handOff.runId,
          status: 'open',
          assignee: handOff.assignee,
        },
      });
    }
    const item = await this.update({
      Key: invoiceKey(invoice.invoiceId),
      UpdateExpression: expression,
      ConditionExpression: 'version = :read AND answer.answerId = :id AND answer.#status = :held',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: values,
      ReturnValues: 'ALL_NEW',
    });
    return item ? itemToInvoice(item) : undefined;
  }

  /**
   * An operator acted on the customer (`resume`, `pause --until`): their open plan requests are
   * resolved, so the run no longer holds those invoices under `plan_requested`.
   */
  async resolvePlanRequests(customerId: string): Promise<string[]> {
    const now = this.clock();
    const items: Item[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'byCustomer',
          KeyConditionExpression: 'customerPk = :pk',
          FilterExpression: 'answer.kind = :plan AND answer.#status = :held',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':pk': customerKey(customerId).pk, ':plan': 'plan', ':held': 'held' },
          ExclusiveStartKey: start,
        }),
      );
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    const resolved: string[] = [];
    for (const item of items.filter((candidate) => !isExpired(candidate, now))) {
      const invoice = itemToInvoice(item);
      const written = await this.update({
        Key: invoiceKey(invoice.invoiceId),
        UpdateExpression: 'SET answer.#status = :resolved, answer.settledAt = :at, version = version + :one',
        ConditionExpression: 'answer.answerId = :id AND answer.#status = :held',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':resolved': 'resolved',
          ':at': now.toISOString(),
          ':id': invoice.answer?.answerId ?? '',
          ':held': 'held',
          ':one': 1,
        },
      });
      if (written) resolved.push(invoice.invoiceId);
    }
    return resolved;
  }
}
