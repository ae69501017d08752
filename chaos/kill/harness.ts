import { type DynamoDBDocumentClient, QueryCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  dueIndexKeys,
  IMPORT_KIND,
  INVOICE_ITEM_PREFIX,
  invoiceKey,
} from '../../functions/shared/adapters/dynamodb/keys.ts';
import { type Item, itemToInvoice } from '../../functions/shared/adapters/dynamodb/ledger-items.ts';
import type { Invoice } from '../../functions/shared/domain/model.ts';
import { type Finished, startCli } from '../../test/e2e/cli-process.ts';

/** What one trial found: each violation is one broken promise, named so it can be read in the log. */
export interface TrialResult {
  readonly killed: boolean;
  readonly violations: string[];
  /** Counters for the report: claims left by a kill between send and record, and the like. */
  readonly counts?: Record<string, number>;
  /** How long the same command took when nobody killed it: the next trial's kill window. */
  readonly fullMs?: number;
}

/** A trial of one kind: its number, the seeded generator, and the window its kill falls in. */
export type Trial = (trial: number, random: () => number, windowMs: number) => Promise<TrialResult>;

export interface Killed {
  /** False when the process had already finished before its kill was due. */
  readonly killed: boolean;
  readonly elapsedMs: number;
  readonly finished: Finished;
}

/**
 * Runs the real `dunning` process and SIGKILLs it `delayMs` after it was spawned. No signal handler,
 * `finally` or flush of the process runs: whatever it had not written is gone, as on a power cut of
 * that process alone (the OS still holds what it had written).
 */
export const runAndKill = async (
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  delayMs: number,
): Promise<Killed> => {
  const started = Date.now();
  const cli = startCli(args, env);
  const timer = setTimeout(() => cli.child.kill('SIGKILL'), delayMs);
  const finished = await cli.exited(120_000);
  clearTimeout(timer);
  return { killed: finished.signal === 'SIGKILL', elapsedMs: Date.now() - started, finished };
};

/** Runs the real `dunning` process to its end (async: the store may live in this very process). */
export const runToEnd = async (
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<Finished & { elapsedMs: number }> => {
  const started = Date.now();
  const finished = await startCli(args, env).exited(180_000);
  return { ...finished, elapsedMs: Date.now() - started };
};

/** Every item of the table whose key starts with a prefix (the stores of a trial hold a few thousand). */
export const scanItems = async (
  client: DynamoDBDocumentClient,
  tableName: string,
  pkPrefix: string,
): Promise<Item[]> => {
  const items: Item[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: 'begins_with(pk, :prefix)',
        ExpressionAttributeValues: { ':prefix': pkPrefix },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
};

const INVOICE_SK = invoiceKey('').sk;
const isMinor = (value: unknown): boolean => Number.isSafeInteger(value) && (value as number) >= 0;
const CLAIM_STATUSES = new Set(['claimed', 'sent', 'failed', 'unknown']);
const INVOICE_STATUSES = new Set(['open', 'paid', 'handed_off']);

/**
 * Why an invoice item is not whole, or undefined: every field a reader needs, with its type, and the
 * due index attributes exactly those its `nextActionAt` gives (a torn write would break either).
 */
export const wholeInvoiceProblem = (item: Item): string | undefined => {
  const invoice = itemToInvoice(item);
  const id = String(item.pk);
  if (typeof invoice.invoiceId !== 'string' || `${INVOICE_ITEM_PREFIX}${invoice.invoiceId}` !== id)
    return `${id}: invoiceId does not match its key`;
  for (const field of ['invoiceNumber', 'customerId', 'currency', 'dueDate'] as const)
    if (typeof invoice[field] !== 'string' || !invoice[field]) return `${id}: ${field} missing`;
  for (const field of ['amountDue', 'amountPaid', 'amountReceived', 'feesCharged', 'version'] as const)
    if (!isMinor(invoice[field])) return `${id}: ${field} is not a whole non-negative number`;
  if (!INVOICE_STATUSES.has(invoice.status)) return `${id}: status ${String(invoice.status)}`;
  for (const [stage, claim] of Object.entries(invoice.claims)) {
    if (claim.stage !== stage || !CLAIM_STATUSES.has(claim.status) || !claim.runId || !claim.claimedAt)
      return `${id}: claim ${stage} is torn`;
    if (claim.status === 'sent' && !claim.messageId) return `${id}: claim ${stage} sent without message id`;
  }
  const next = invoice.nextActionAt;
  if (next === undefined) {
    if (item.dueShard !== undefined || item.dueAt !== undefined)
      return `${id}: in the due index without a next action`;
  } else {
    const keys = dueIndexKeys(invoice.invoiceId, new Date(next));
    if (item.dueShard !== keys.dueShard || item.dueAt !== keys.dueAt)
      return `${id}: due index disagrees with nextActionAt`;
  }
  return undefined;
};

/** Every invoice of the store, with the problems of those that are not whole. */
export const readInvoices = async (
  client: DynamoDBDocumentClient,
  tableName: string,
): Promise<{ invoices: Map<string, Invoice>; problems: string[] }> => {
  const items = (await scanItems(client, tableName, INVOICE_ITEM_PREFIX)).filter(
    (item) => item.sk === INVOICE_SK,
  );
  const problems = items.flatMap((item) => wholeInvoiceProblem(item) ?? []);
  return { invoices: new Map(items.map((item) => [String(item.invoiceId), itemToInvoice(item)])), problems };
};

/** The import records (`staging`, `committed`, `applied`), through the index the roll-forward reads. */
export const importRecords = async (client: DynamoDBDocumentClient, tableName: string): Promise<Item[]> =>
  (
    await client.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: 'byKind',
        KeyConditionExpression: 'kind = :kind',
        ExpressionAttributeValues: { ':kind': IMPORT_KIND },
      }),
    )
  ).Items ?? [];

/** The staleness window of a claim (the run's default): a claim this old belongs to a dead run. */
export const STALE_CLAIM_MS = 20 * 60_000;

/**
 * Lets the time pass that makes the claims a killed run left `claimed` stale: each one's `claimedAt`
 * moves back beyond the window (the run judges staleness by the real clock, so `--as-of` cannot).
 * Returns the invoice ids it aged.
 */
export const ageOpenClaims = async (client: DynamoDBDocumentClient, tableName: string): Promise<string[]> => {
  const { invoices } = await readInvoices(client, tableName);
  const past = new Date(Date.now() - STALE_CLAIM_MS - 60_000).toISOString();
  const aged: string[] = [];
  for (const invoice of invoices.values()) {
    for (const claim of Object.values(invoice.claims)) {
      if (claim.status !== 'claimed') continue;
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: invoiceKey(invoice.invoiceId),
          UpdateExpression: 'SET claims.#stage.claimedAt = :past',
          ConditionExpression: 'claims.#stage.#status = :claimed',
          ExpressionAttributeNames: { '#stage': claim.stage, '#status': 'status' },
          ExpressionAttributeValues: { ':past': past, ':claimed': 'claimed' },
        }),
      );
      aged.push(invoice.invoiceId);
    }
  }
  return aged;
};
