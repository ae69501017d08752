import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { CheckpointStore, RunCheckpoint } from '../../domain/run/ports.ts';
import { claimKey, expiresInDays, isExpired } from './keys.ts';

/** A run's checkpoint, one item per run, kept a week for the audit of a long run. */
export class RunCheckpoints implements CheckpointStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async save(checkpoint: RunCheckpoint): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...claimKey('run', checkpoint.runId),
          type: 'run-checkpoint',
          // One string attribute: the summary's open set of skip reasons needs no attribute mapping.
          checkpoint: JSON.stringify(checkpoint),
          savedAt: this.now().toISOString(),
          expiresAt: expiresInDays(this.now(), 7),
        },
      }),
    );
  }

  async load(runId: string): Promise<RunCheckpoint | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: claimKey('run', runId), ConsistentRead: true }),
    );
    if (!Item || isExpired(Item, this.now()) || typeof Item.checkpoint !== 'string') return undefined;
    return JSON.parse(Item.checkpoint) as RunCheckpoint;
  }
}
