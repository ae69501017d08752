import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { StoredRecords } from '../../domain/import/ports.ts';
import { batchGetAll } from './batches.ts';
import { customerKey, invoiceKey } from './keys.ts';

/** The import hashes of the invoices and customers a file names, in one BatchGet per step. */
export class DynamoStoredRecords implements StoredRecords {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async importHashes(invoiceIds: readonly string[], customerIds: readonly string[]) {
    const stored = await batchGetAll(
      this.client,
      this.tableName,
      [...invoiceIds.map((id) => invoiceKey(id)), ...customerIds.map((id) => customerKey(id))],
      ['pk', 'importHash'],
    );
    const hashes = (ids: readonly string[], key: (id: string) => { pk: string }) =>
      new Map(
        ids.flatMap((id) => {
          const item = stored.get(key(id).pk);
          return item ? [[id, item.importHash as string | undefined] as const] : [];
        }),
      );
    return { invoices: hashes(invoiceIds, invoiceKey), customers: hashes(customerIds, customerKey) };
  }
}
