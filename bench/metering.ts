import type { DynamoDBClient, ServiceInputTypes, ServiceOutputTypes } from '@aws-sdk/client-dynamodb';
import type { FinalizeRequestMiddleware } from '@smithy/types';

/**
 * Counts what DynamoDB would bill for, per command, by wrapping the client's middleware stack: the
 * same commands the adapters send, counted from their real requests and responses, not estimated.
 *
 * - read: Query/Scan `ScannedCount` (items the service examined, filtered or not), plus every key a
 *   GetItem or BatchGetItem asked for and the service processed (found or not: a miss is billed too).
 * - written: each PutItem, UpdateItem or DeleteItem that succeeded, each BatchWriteItem request the
 *   service processed. A conditional write whose condition failed writes nothing; it is counted
 *   apart (`failedConditions`), since DynamoDB still bills it.
 */
export interface StoreMeter {
  readonly read: number;
  readonly written: number;
  readonly failedConditions: number;
  readonly requests: number;
  /**
   * Round trips one after another: a call that leaves while no other is out starts one, calls sent
   * together (a Promise.all) share it, and a retried attempt is one more. With one request served at
   * a time, this is the latency the store adds to it in units of one call.
   */
  readonly roundTrips: number;
  readonly byCommand: Readonly<Record<string, { requests: number; read: number; written: number }>>;
}

type Counts = { requests: number; read: number; written: number };

interface Output {
  ScannedCount?: number;
  Item?: unknown;
  Responses?: Record<string, unknown[]>;
  UnprocessedKeys?: Record<string, { Keys?: unknown[] }>;
  UnprocessedItems?: Record<string, unknown[]>;
}

interface Input {
  RequestItems?: Record<string, { Keys?: unknown[] } | unknown[]>;
}

const sum = (values: Iterable<number>): number => [...values].reduce((total, value) => total + value, 0);

const keysRequested = (input: Input): number =>
  sum(
    Object.values(input.RequestItems ?? {}).map((entry) =>
      Array.isArray(entry) ? entry.length : (entry.Keys?.length ?? 0),
    ),
  );

const countOf = (command: string, input: Input, output: Output): { read: number; written: number } => {
  switch (command) {
    case 'QueryCommand':
    case 'ScanCommand':
      return { read: output.ScannedCount ?? 0, written: 0 };
    case 'GetItemCommand':
      return { read: 1, written: 0 };
    case 'BatchGetItemCommand':
      return {
        read:
          keysRequested(input) -
          sum(Object.values(output.UnprocessedKeys ?? {}).map((t) => t.Keys?.length ?? 0)),
        written: 0,
      };
    case 'PutItemCommand':
    case 'UpdateItemCommand':
    case 'DeleteItemCommand':
      return { read: 0, written: 1 };
    case 'BatchWriteItemCommand':
      return {
        read: 0,
        written:
          keysRequested(input) - sum(Object.values(output.UnprocessedItems ?? {}).map((t) => t.length)),
      };
    default:
      return { read: 0, written: 0 };
  }
};

export interface Metering {
  /** The counts since the last reset. */
  snapshot(): StoreMeter;
  reset(): void;
}

/** Adds the counting middleware to a DynamoDB client (and so to every document client built on it). */
export const meterStore = (client: DynamoDBClient): Metering => {
  let byCommand = new Map<string, Counts>();
  let failedConditions = 0;
  let roundTrips = 0;
  let outstanding = 0;
  const countRoundTrip: FinalizeRequestMiddleware<ServiceInputTypes, ServiceOutputTypes> =
    (next) => async (args) => {
      if (outstanding === 0) roundTrips += 1;
      outstanding += 1;
      try {
        return await next(args);
      } finally {
        outstanding -= 1;
      }
    };
  client.middlewareStack.addRelativeTo(countRoundTrip, {
    relation: 'after',
    toMiddleware: 'retryMiddleware',
    name: 'benchStoreRoundTrips',
    override: true,
  });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      // The low-level command name; document client commands arrive here already marshalled.
      const command = context.commandName ?? 'unknown';
      const counts = byCommand.get(command) ?? { requests: 0, read: 0, written: 0 };
      byCommand.set(command, counts);
      counts.requests += 1;
      try {
        const result = await next(args);
        const { read, written } = countOf(command, args.input as Input, result.output as Output);
        counts.read += read;
        counts.written += written;
        return result;
      } catch (error) {
        if ((error as Error).name === 'ConditionalCheckFailedException') failedConditions += 1;
        throw error;
      }
    },
    { step: 'initialize', name: 'benchStoreMeter', override: true },
  );
  return {
    snapshot: () => {
      const entries = [...byCommand.entries()];
      return {
        read: sum(entries.map(([, c]) => c.read)),
        written: sum(entries.map(([, c]) => c.written)),
        failedConditions,
        roundTrips,
        requests: sum(entries.map(([, c]) => c.requests)),
        byCommand: Object.fromEntries(entries.map(([name, c]) => [name, { ...c }])),
      };
    },
    reset: () => {
      byCommand = new Map();
      failedConditions = 0;
      roundTrips = 0;
    },
  };
};
