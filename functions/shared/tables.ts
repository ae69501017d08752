/**
 * The one definition of the store's tables, read by the CDK data construct and by the local stack
 * (`dunning dev` creates missing tables from it). Plain data so neither host drags in the other's
 * SDK. The access paths each key serves are listed in docs/data-model.md.
 */
export type AttributeType = 'S' | 'N';

export interface KeyDefinition {
  readonly name: string;
  readonly type: AttributeType;
}

export interface IndexDefinition {
  readonly indexName: string;
  readonly partitionKey: KeyDefinition;
  readonly sortKey: KeyDefinition;
  /** Sparse indexes hold only items that carry both key attributes. */
  readonly projection: 'ALL' | 'KEYS_ONLY';
}

export interface TableDefinition {
  /** Stable logical id; the physical name comes from the environment (CDK) or is the same locally. */
  readonly id: string;
  readonly partitionKey: KeyDefinition;
  readonly sortKey: KeyDefinition;
  readonly globalSecondaryIndexes: readonly IndexDefinition[];
  /** Epoch-seconds attribute; TTL is switched on in CDK only, so every read also ignores expired items. */
  readonly timeToLiveAttribute: string;
}

/** Number of partitions the due index is spread across, so a 100k-invoice day has no hot key. */
export const DUE_INDEX_SHARDS = 8;

export const ledgerTable = {
  id: 'Ledger',
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  globalSecondaryIndexes: [
    {
      indexName: 'byCustomer',
      partitionKey: { name: 'customerPk', type: 'S' },
      sortKey: { name: 'customerSk', type: 'S' },
      projection: 'ALL',
    },
    {
      // Whole invoices, so the run's query is its read of them (its claim holds only on that copy).
      indexName: 'due',
      partitionKey: { name: 'dueShard', type: 'S' },
      sortKey: { name: 'dueAt', type: 'S' },
      projection: 'ALL',
    },
    {
      indexName: 'byKind',
      partitionKey: { name: 'kind', type: 'S' },
      sortKey: { name: 'kindSk', type: 'S' },
      projection: 'ALL',
    },
  ],
  timeToLiveAttribute: 'expiresAt',
} as const satisfies TableDefinition;

export const tables = [ledgerTable] as const satisfies readonly TableDefinition[];

/** Local physical table name; in AWS the name CDK generated arrives as DUNNING_TABLE_NAME. */
export const LOCAL_TABLE_NAME = 'dunning-ledger';
