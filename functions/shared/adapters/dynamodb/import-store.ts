import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { taskWindow } from '../../concurrency.ts';
import type { ImportLedger, ImportPart, StagedCounts, StagedRow } from '../../domain/import/ports.ts';
import type { ImportedCustomer, ImportedInvoice } from '../../domain/import/records.ts';
import type { Policy } from '../../domain/policy.ts';
import { UserInputError } from '../../errors.ts';
import { batchWriteAll } from './batches.ts';
import { isConditionFailed } from './conditions.ts';
import { type ApplyTarget, applyCustomers, applyInvoices } from './import-apply.ts';
import { expiresInDays, IMPORT_KIND, importKey, importStagedKey, isExpired } from './keys.ts';
import type { Item } from './ledger-items.ts';
import { queryAll, queryPages } from './paging.ts';

/**
 * The staged import (docs/data-model.md, "Imports"). Every changed row is first written as a staged
 * item under the import's own partition, where no reader of invoices looks; one conditional write
 * then flips the import record to `committed`; only after that are the staged rows laid onto the
 * invoice and customer items. A crash before the commit leaves nothing visible; a crash after it is
 * rolled forward by the next import or dunning run (domain/import/roll-forward.ts). This class only
 * translates those steps to items and conditional writes.
 */

export type ImportStatus = 'staging' | 'committed' | 'applied';

export type { StagedRow } from '../../domain/import/ports.ts';

/** Staged rows and abandoned attempts are cleaned up by TTL in AWS; a committed import is applied within a day. */
const STAGING_TTL_DAYS = 30;
const PAGE = 100;
const PAGES_IN_FLIGHT = 4;

export interface ImportStoreDeps {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly policy: Policy;
  /** The deployment's zone, for the payment recorder (unmatched payments applied after an import). */
  readonly defaultTimeZone?: string | undefined;
  readonly now?: () => Date;
}

const kindSk = (status: ImportStatus, startedAt: string, importId: string) =>
  `${status}#${startedAt}#${importId}`;

export class ImportStore implements ImportLedger {
  private readonly now: () => Date;

  constructor(private readonly deps: ImportStoreDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  private get target(): ApplyTarget {
    return this.deps;
  }

  async getRecord(importId: string): Promise<Item | undefined> {
    const { Item } = await this.deps.client.send(
      new GetCommand({ TableName: this.deps.tableName, Key: importKey(importId), ConsistentRead: true }),
    );
    return Item;
  }

  /** Opens (or reopens, after an abandoned attempt or an earlier completed one) an import for staging. */
  async begin(importId: string, file: string, rows: number): Promise<void> {
    const now = this.now();
    const startedAt = now.toISOString();
    try {
      await this.deps.client.send(
        new PutCommand({
          TableName: this.deps.tableName,
          Item: {
            ...importKey(importId),
            type: 'import',
            kind: IMPORT_KIND,
            kindSk: kindSk('staging', startedAt, importId),
            importId,
            status: 'staging',
            file,
            rows,
            startedAt,
            expiresAt: expiresInDays(now, STAGING_TTL_DAYS),
          },
          ConditionExpression: 'attribute_not_exists(pk) OR #status <> :committed',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':committed': 'committed' },
        }),
      );
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
      throw new UserInputError(
        `${file}: the same file is being applied by another import right now; try again`,
      );
    }
  }

  /** Writes staged rows; they sit under the import's partition, invisible to every reader of invoices. */
  async stage(importId: string, rows: readonly StagedRow[]): Promise<void> {
    const expiresAt = expiresInDays(this.now(), STAGING_TTL_DAYS);
    await batchWriteAll(
      this.deps.client,
      this.deps.tableName,
      rows.map((staged) => {
        const { part, row, ...body } = staged;
        // Object.assign, not a literal opening with a spread: one per row (see domain/import/records.ts).
        const item = Object.assign(importStagedKey(importId, part, row), { type: 'import-staged' }, body, {
          expiresAt,
        });
        return { PutRequest: { Item: item } };
      }),
    );
  }

  /** The one write that makes an import happen: after it, the import is applied whatever crashes. */
  async commit(importId: string, counts: StagedCounts): Promise<void> {
    const record = await this.getRecord(importId);
    if (!record) throw new Error(`import ${importId} has no record to commit`);
    const committedAt = this.now().toISOString();
    try {
      await this.deps.client.send(
        new UpdateCommand({
          TableName: this.deps.tableName,
          Key: importKey(importId),
          UpdateExpression:
            'SET #status = :committed, kindSk = :kindSk, committedAt = :at, stagedInvoices = :invoices, stagedCustomers = :customers REMOVE expiresAt',
          ConditionExpression: '#status = :staging AND startedAt = :startedAt',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':committed': 'committed',
            ':staging': 'staging',
            ':startedAt': record.startedAt,
            ':kindSk': kindSk('committed', String(record.startedAt), importId),
            ':at': committedAt,
            ':invoices': counts.invoices,
            ':customers': counts.customers,
          },
        }),
      );
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
      // An identical import (same file, same settings) committed first: its rows are these rows.
      const current = await this.getRecord(importId);
      if (current?.status !== 'committed' && current?.status !== 'applied') throw error;
    }
  }

  /** Lays one part's staged rows onto the ledger, a few pages at a time. */
  async applyStaged(importId: string, part: ImportPart, onApplied?: (count: number) => void): Promise<void> {
    const window = taskWindow(PAGES_IN_FLIGHT);
    const pages = queryPages(this.deps.client, {
      TableName: this.deps.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :part)',
      ExpressionAttributeValues: { ':pk': importKey(importId).pk, ':part': `${part}#` },
      ConsistentRead: true,
      Limit: PAGE,
    });
    for await (const page of pages) {
      const items = page.filter((item) => !isExpired(item, this.now()));
      await window.add(async () => {
        await this.applyPage(part, items);
        onApplied?.(items.length);
      });
    }
    await window.drain();
  }

  private async applyPage(part: ImportPart, items: Item[]): Promise<void> {
    if (part === 'CUSTOMER')
      await applyCustomers(
        this.target,
        items.map((item) => item.customer as ImportedCustomer),
      );
    else
      await applyInvoices(
        this.target,
        items.map((item) => item.invoice as ImportedInvoice),
      );
    // Applied rows leave the staging area; a crash before this only means they are applied again, as no-ops.
    await batchWriteAll(
      this.deps.client,
      this.deps.tableName,
      items.map((item) => ({ DeleteRequest: { Key: { pk: item.pk, sk: item.sk } } })),
    );
  }

  async markApplied(importId: string): Promise<void> {
    const record = await this.getRecord(importId);
    if (record?.status !== 'committed') return;
    try {
      await this.deps.client.send(
        new UpdateCommand({
          TableName: this.deps.tableName,
          Key: importKey(importId),
          UpdateExpression: 'SET #status = :applied, kindSk = :kindSk, appliedAt = :at',
          ConditionExpression: '#status = :committed AND startedAt = :startedAt',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':applied': 'applied',
            ':committed': 'committed',
            ':startedAt': record.startedAt,
            ':kindSk': kindSk('applied', String(record.startedAt), importId),
            ':at': this.now().toISOString(),
          },
        }),
      );
    } catch (error) {
      // Another applier (a run rolling forward) finished first.
      if (!isConditionFailed(error)) throw error;
    }
  }

  /** The roll-forward of a committed import failed: kept on its record for `dunning import --status`. */
  async recordRollForwardFailure(importId: string, reason: string): Promise<void> {
    await this.deps.client.send(
      new UpdateCommand({
        TableName: this.deps.tableName,
        Key: importKey(importId),
        UpdateExpression: 'SET lastError = :reason, lastAttemptAt = :at ADD failedAttempts :one',
        ConditionExpression: '#status = :committed',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':reason': reason,
          ':at': this.now().toISOString(),
          ':one': 1,
          ':committed': 'committed',
        },
      }),
    );
  }

  /** Imports committed but not (fully) applied, oldest first, as `dunning import --status` lists them. */
  async pendingImports(): Promise<PendingImport[]> {
    const items = await queryAll(this.deps.client, {
      TableName: this.deps.tableName,
      IndexName: 'byKind',
      KeyConditionExpression: 'kind = :kind AND begins_with(kindSk, :committed)',
      ExpressionAttributeValues: { ':kind': IMPORT_KIND, ':committed': 'committed#' },
    });
    return items.map((item) => ({
      importId: String(item.importId),
      file: String(item.file ?? ''),
      rows: Number(item.rows ?? 0),
      committedAt: String(item.committedAt ?? item.startedAt ?? ''),
      status: item.lastError ? 'failed' : 'pending',
      ...(item.lastError ? { error: String(item.lastError) } : {}),
      ...(item.failedAttempts ? { failedAttempts: Number(item.failedAttempts) } : {}),
      ...(item.lastAttemptAt ? { lastAttemptAt: String(item.lastAttemptAt) } : {}),
    }));
  }

  /** Imports committed but not (fully) applied, oldest first. */
  async pendingImportIds(): Promise<string[]> {
    return (await this.pendingImports()).map((pending) => pending.importId);
  }
}

/** An import committed but not yet applied; `failed` once a roll-forward of it has failed. */
export interface PendingImport {
  readonly importId: string;
  readonly file: string;
  readonly rows: number;
  readonly committedAt: string;
  readonly status: 'pending' | 'failed';
  readonly error?: string;
  readonly failedAttempts?: number;
  readonly lastAttemptAt?: string;
}
