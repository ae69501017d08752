import { type DynamoDBDocumentClient, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { RunJournal, RunRecord } from '../../domain/run/ports.ts';
import { isConditionFailed } from './conditions.ts';
import { expiresInDays, isExpired, RUN_KIND, runKey } from './keys.ts';

/** How long run records stay: a year and a month, for year-on-year comparison. */
const RUN_RETENTION_DAYS = 400;

const RECORD_FIELDS = [
  'runId',
  'trigger',
  'scope',
  'asOf',
  'startedAt',
  'finishedAt',
  'status',
  'summary',
  'leaseUntil',
  'error',
] as const;

const toRecord = (item: Record<string, unknown>): RunRecord =>
  Object.fromEntries(
    RECORD_FIELDS.filter((field) => item[field] !== undefined).map((field) => [field, item[field]]),
  ) as unknown as RunRecord;

/**
 * Run records in the Ledger table, one item per run id, listed newest first through the byKind index
 * (`kind = RUN`, `kindSk = <startedAt>#<runId>`). `begin` is one conditional write: the hold a
 * repeated delivery of the same invocation cannot take while its first delivery works.
 */
export class DynamoRunJournal implements RunJournal {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async begin(record: RunRecord): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: runKey(record.runId),
          // A continued run keeps when it started and its summary so far; a new one writes them.
          UpdateExpression:
            'SET #status = :running, leaseUntil = :lease, runId = :runId, #trigger = :trigger, #scope = if_not_exists(#scope, :scope), asOf = if_not_exists(asOf, :asOf), startedAt = if_not_exists(startedAt, :startedAt), summary = if_not_exists(summary, :summary), kind = :kind, kindSk = if_not_exists(kindSk, :kindSk), #type = :type, expiresAt = :expiresAt REMOVE finishedAt, #error',
          ConditionExpression:
            'attribute_not_exists(pk) OR #status IN (:continuing, :failed) OR (#status = :running AND leaseUntil < :now)',
          ExpressionAttributeNames: {
            '#status': 'status',
            '#trigger': 'trigger',
            '#scope': 'scope',
            '#type': 'type',
            '#error': 'error',
          },
          ExpressionAttributeValues: {
            ':running': 'running',
            ':continuing': 'continuing',
            ':failed': 'failed',
            ':lease': record.leaseUntil,
            ':now': this.now().toISOString(),
            ':runId': record.runId,
            ':trigger': record.trigger,
            ':scope': record.scope,
            ':asOf': record.asOf,
            ':startedAt': record.startedAt,
            ':summary': record.summary,
            ':kind': RUN_KIND,
            ':kindSk': `${record.startedAt}#${record.runId}`,
            ':type': 'run',
            ':expiresAt': expiresInDays(this.now(), RUN_RETENTION_DAYS),
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailed(error)) return false;
      throw error;
    }
  }

  async end(record: RunRecord): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...runKey(record.runId),
          type: 'run',
          kind: RUN_KIND,
          kindSk: `${record.startedAt}#${record.runId}`,
          ...Object.fromEntries(Object.entries(record).filter(([field]) => field !== 'leaseUntil')),
          expiresAt: expiresInDays(this.now(), RUN_RETENTION_DAYS),
        },
      }),
    );
  }

  /** The latest runs, newest first. */
  async latest(limit: number): Promise<RunRecord[]> {
    const found: RunRecord[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'byKind',
          KeyConditionExpression: 'kind = :kind',
          ExpressionAttributeValues: { ':kind': RUN_KIND },
          ScanIndexForward: false,
          Limit: limit - found.length,
          ExclusiveStartKey: start,
        }),
      );
      const now = this.now();
      for (const item of page.Items ?? []) if (!isExpired(item, now)) found.push(toRecord(item));
      start = page.LastEvaluatedKey;
    } while (start && found.length < limit);
    return found;
  }
}
