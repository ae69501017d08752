import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { ImportRejectedError } from '../functions/shared/domain/import/summary.ts';
import { UserInputError } from '../functions/shared/errors.ts';
import { standardHeaders, stripeHeaders } from '../test/support/payment-fixtures.ts';
import type { Trial } from './harness.ts';
import { hostileImportFiles, hostileWebhooks } from './hostile-input.ts';

/**
 * Feeds hostile input to the import and the webhook endpoints and counts what must stay zero:
 * crashes (any error other than a user error), 5xx answers, errors that do not name the problem,
 * and partial writes (a rejected input that changed the ledger).
 */

export interface HostileResult {
  readonly inputs: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly crashes: number;
  readonly fiveXx: number;
  readonly unnamed: number;
  readonly partial: number;
  /** What went wrong, for the report (empty when all is well). */
  readonly problems: string[];
}

const emptyResult = (): HostileResult & Record<string, unknown> => ({
  inputs: 0,
  accepted: 0,
  rejected: 0,
  crashes: 0,
  fiveXx: 0,
  unnamed: 0,
  partial: 0,
  problems: [],
});

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The ledger's invoices and customers as one comparable text (staged import items excluded). */
export const ledgerFingerprint = async (
  client: DynamoDBDocumentClient,
  tableName: string,
): Promise<string> => {
  const items: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey: start }),
    );
    for (const item of page.Items ?? [])
      if (!String(item.pk).startsWith('IMPORT#'))
        items.push(JSON.stringify([item.pk, item.sk, item.version, item.importHash, item.amountReceived]));
    start = page.LastEvaluatedKey;
  } while (start);
  return items.sort().join('\n');
};

const countInvoices = (fingerprint: string) =>
  fingerprint.split('\n').filter((line) => line.startsWith('["INVOICE#')).length;

const polluted = () => ({}) as Record<string, unknown>;

const short = (text: string) => (text.length > 160 ? `${text.slice(0, 160)}...` : text);

export const fuzzImports = async (
  trial: Trial,
  reader: DynamoDBDocumentClient,
  options: { runs: number; seed: number },
): Promise<HostileResult> => {
  const result: Mutable<HostileResult> = emptyResult();
  for (const file of fc.sample(hostileImportFiles, { numRuns: options.runs, seed: options.seed })) {
    result.inputs += 1;
    const before = await ledgerFingerprint(reader, trial.tableName);
    try {
      const summary = await trial.importRows(file.name, file.content);
      result.accepted += 1;
      const after = await ledgerFingerprint(reader, trial.tableName);
      if (countInvoices(after) - countInvoices(before) !== summary.invoices.new) {
        result.partial += 1;
        result.problems.push(`import accepted ${summary.invoices.new} new invoices but the ledger differs`);
      }
    } catch (error) {
      result.rejected += 1;
      if (!(error instanceof UserInputError)) {
        result.crashes += 1;
        result.problems.push(
          `import crashed: ${(error as Error).name}: ${short(String((error as Error).message))}`,
        );
      } else if (
        !error.message ||
        (error instanceof ImportRejectedError &&
          !error.details.errors.every((problem) => problem.row >= 1 && problem.reason.length > 0))
      ) {
        result.unnamed += 1;
        result.problems.push(`import error does not name the problem: ${short(error.message)}`);
      }
      if ((await ledgerFingerprint(reader, trial.tableName)) !== before) {
        result.partial += 1;
        result.problems.push(
          `a rejected import changed the ledger: ${short(error instanceof Error ? error.message : '')}`,
        );
      }
    }
    if (polluted().polluted !== undefined) {
      result.crashes += 1;
      result.problems.push('an import polluted Object.prototype');
    }
  }
  return result;
};

export const fuzzWebhooks = async (
  trial: Trial,
  reader: DynamoDBDocumentClient,
  options: { runs: number; seed: number; invoiceId: string },
): Promise<HostileResult> => {
  const result: Mutable<HostileResult> = emptyResult();
  for (const hook of fc.sample(hostileWebhooks(options.invoiceId), {
    numRuns: options.runs,
    seed: options.seed,
  })) {
    result.inputs += 1;
    // Signed like the providers sign: the body passes the signature check and meets the parser.
    const text = hook.body.toString('utf8');
    const signed =
      hook.path === '/webhooks/stripe'
        ? stripeHeaders(text, trial.secrets.stripe)
        : standardHeaders(text, trial.secrets.payments);
    const headers: Record<string, string> = { ...signed };
    if (hook.contentType === undefined) delete headers['content-type'];
    else headers['content-type'] = hook.contentType;
    const before = await ledgerFingerprint(reader, trial.tableName);
    const response = await trial.post(hook.path, hook.body, headers);
    const label = `${hook.path} ${short(text)}`;
    if (response.status >= 500) {
      result.fiveXx += 1;
      result.problems.push(`${response.status} for ${label}: ${response.text}`);
    } else if (response.status >= 400) {
      result.rejected += 1;
      const error = (JSON.parse(response.text) as { error?: string }).error ?? '';
      if (response.status === 401 || error.length < 5) {
        result.unnamed += 1;
        result.problems.push(`${response.status} "${error}" for ${label}`);
      }
      if ((await ledgerFingerprint(reader, trial.tableName)) !== before) {
        result.partial += 1;
        result.problems.push(`a rejected webhook changed the ledger: ${label}`);
      }
    } else result.accepted += 1;
    if (polluted().polluted !== undefined) {
      result.crashes += 1;
      result.problems.push('a webhook polluted Object.prototype');
    }
  }
  return result;
};
