import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { WaivedLedger } from '../../domain/charges.ts';
import type { InvoiceAudit } from '../../domain/run/audit.ts';
import type { ChargeLedgerPort } from '../../domain/waive.ts';
import { isConditionFailed } from './conditions.ts';
import { invoiceKey } from './keys.ts';
import { readInvoiceAudit } from './run-audit.ts';

/**
 * The invoice's charges ledger in its own item: a waiver is one UpdateItem of the whole `charges`
 * map (with `feesCharged` and, when nothing is left owed, the status), conditioned on the version
 * read, so it can neither lose nor double another writer's change.
 */
export class DynamoChargeLedger implements ChargeLedgerPort {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  readAudit(invoiceId: string): Promise<InvoiceAudit | undefined> {
    return readInvoiceAudit(this.client, this.tableName, invoiceId);
  }

  async writeLedger(audit: InvoiceAudit, result: WaivedLedger): Promise<boolean> {
    const { invoice } = audit;
    const settled = result.status !== invoice.status;
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: invoiceKey(invoice.invoiceId),
          UpdateExpression: `SET charges = :charges, feesCharged = :fees, #status = :status, version = :next${
            settled ? ' REMOVE nextActionAt, dueShard, dueAt' : ''
          }`,
          ConditionExpression:
            invoice.version === 0 ? '(attribute_not_exists(version) OR version = :read)' : 'version = :read',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':charges': result.charges,
            ':fees': result.feesCharged,
            ':status': result.status,
            ':read': invoice.version,
            ':next': invoice.version + 1,
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailed(error)) return false;
      throw error;
    }
  }
}
