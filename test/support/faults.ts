import { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { seededRandom } from '../../cli/demo/portfolio.ts';
import { clientOptions, type ServiceEndpoint } from '../../functions/shared/adapters/endpoints.ts';

/**
 * Test-only fault injection at the AWS SDK client: middleware on the client's own stack, so the
 * product's adapters run unchanged on top of a client that sometimes fails the way AWS does.
 *
 * - `throttle`: the service refuses the request (DynamoDB `ThrottlingException`, SES
 *   `TooManyRequestsException` with 429); nothing happened.
 * - `timeout` / `reset`: the request never reached the service (socket timed out / was reset).
 * - `reset_after`: the service applied the request, then the connection dropped before the answer:
 *   the nasty one, because the caller cannot know the write (or the email) went through.
 * - `race` (conditional writes on an invoice's `version` only): a competing writer bumps the version
 *   just before the request goes out, so DynamoDB itself answers ConditionalCheckFailedException,
 *   exactly as when a payment or another run got there first.
 *
 * A fault is decided once per command and may fail 1..n of its attempts: the SDK's retries (inside
 * the stack, like for real faults) absorb some, the rest reach the adapter ("surfaced").
 */
export type FaultKind = 'throttle' | 'timeout' | 'reset' | 'reset_after' | 'race';

export const FAULT_KINDS: readonly FaultKind[] = ['throttle', 'timeout', 'reset', 'reset_after', 'race'];

export interface FaultPlanOptions {
  readonly seed: number;
  /** Probability that a command gets a fault. */
  readonly rate: number;
  readonly kinds?: readonly FaultKind[];
}

const INJECTED = Symbol('injected fault');
const RACE_BIAS = 4;
const DECISION = Symbol('fault decision');

interface Decision {
  readonly kind: FaultKind;
  failuresLeft: number;
}

export class FaultPlan {
  private readonly random: () => number;
  /** Faults are only injected while enabled (a trial switches them off to read back its invariants). */
  enabled = true;
  readonly injected: Record<FaultKind, number> = {
    throttle: 0,
    timeout: 0,
    reset: 0,
    reset_after: 0,
    race: 0,
  };
  /** Faults that got past the SDK's retries to the adapter: only these may turn into a 5xx. */
  surfaced = 0;

  constructor(private readonly options: FaultPlanOptions) {
    this.random = seededRandom(options.seed);
  }

  get total(): number {
    return Object.values(this.injected).reduce((sum, count) => sum + count, 0);
  }

  /** A fault for this command, or none; `allowed` lists the kinds that make sense for it. */
  decide(allowed: readonly FaultKind[], maxAttempts: number): Decision | undefined {
    if (!this.enabled) return undefined;
    const kinds = (this.options.kinds ?? FAULT_KINDS).filter((kind) => allowed.includes(kind));
    // Versioned invoice writes are few and races are what they guard against: race them more often.
    if (kinds.includes('race') && this.random() < this.options.rate * RACE_BIAS)
      return { kind: 'race', failuresLeft: 1 };
    if (this.random() >= this.options.rate) return undefined;
    const kind = kinds[Math.floor(this.random() * kinds.length)];
    if (!kind) return undefined;
    return { kind, failuresLeft: 1 + Math.floor(this.random() * maxAttempts) };
  }

  count(kind: FaultKind): void {
    this.injected[kind] += 1;
  }
}

const awsError = (name: string, message: string, status?: number, code?: string): Error =>
  Object.assign(new Error(message), {
    name,
    ...(code ? { code } : {}),
    ...(status ? { $metadata: { httpStatusCode: status }, $fault: status >= 500 ? 'server' : 'client' } : {}),
    [INJECTED]: true,
  });

const faultError = (kind: FaultKind, service: 'store' | 'mail'): Error => {
  switch (kind) {
    case 'throttle':
      return service === 'store'
        ? awsError('ThrottlingException', 'Rate of requests exceeds the allowed throughput.', 400)
        : awsError('TooManyRequestsException', 'Too many requests.', 429);
    case 'timeout':
      return awsError('TimeoutError', 'Connection timed out after 1000 ms', undefined, 'ETIMEDOUT');
    default:
      return awsError('Error', 'socket hang up', undefined, 'ECONNRESET');
  }
};

export const isInjected = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && INJECTED in error;

type Stack = DynamoDBDocumentClient['middlewareStack'] | SESv2Client['middlewareStack'];
type Marshalled = Record<string, { S?: string }>;

interface InstallOptions {
  readonly service: 'store' | 'mail';
  readonly maxAttempts: number;
  readonly allowed: (commandName: string, input: Record<string, unknown>) => readonly FaultKind[];
  readonly race?: (input: Record<string, unknown>) => Promise<void>;
}

const install = (stack: Stack, plan: FaultPlan, options: InstallOptions): void => {
  const anyStack = stack as unknown as {
    add(middleware: unknown, options: Record<string, unknown>): void;
  };
  // Outermost: sees what finally reaches the adapter, after every SDK retry.
  anyStack.add(
    (next: (args: unknown) => Promise<unknown>) => async (args: unknown) => {
      try {
        return await next(args);
      } catch (error) {
        if (isInjected(error)) plan.surfaced += 1;
        throw error;
      }
    },
    { step: 'initialize', priority: 'high', name: 'chaosSurfacedFaults' },
  );
  // Innermost: runs once per attempt, inside the SDK's retry loop, right before the wire.
  anyStack.add(
    (next: (args: unknown) => Promise<unknown>, context: Record<symbol, Decision | undefined>) =>
      async (args: { input: Record<string, unknown> }) => {
        if (!(DECISION in context)) {
          const commandName = String((context as unknown as { commandName?: string }).commandName);
          context[DECISION] = plan.decide(options.allowed(commandName, args.input), options.maxAttempts);
        }
        const decision = context[DECISION];
        if (!decision || decision.failuresLeft <= 0) return next(args);
        decision.failuresLeft -= 1;
        plan.count(decision.kind);
        if (decision.kind === 'race') {
          await options.race?.(args.input);
          return next(args);
        }
        if (decision.kind === 'reset_after') {
          await next(args);
          throw faultError('reset', options.service);
        }
        throw faultError(decision.kind, options.service);
      },
    { step: 'finalizeRequest', priority: 'low', name: 'chaosFaults' },
  );
};

const keyOf = (input: Record<string, unknown>): Record<'pk' | 'sk', { S: string }> | undefined => {
  const key = (input.Key ?? input.Item) as Marshalled | undefined;
  return key?.pk?.S && key.sk?.S ? { pk: { S: key.pk.S }, sk: { S: key.sk.S } } : undefined;
};

const isVersionedInvoiceWrite = (input: Record<string, unknown>): boolean =>
  typeof input.ConditionExpression === 'string' &&
  /\bversion\b/.test(input.ConditionExpression) &&
  keyOf(input)?.sk?.S === 'INVOICE';

/**
 * Faults on a document client's stack (shared with its DynamoDB client). Races bump the invoice's
 * `version` through a separate, fault-free client, as a concurrent writer would.
 */
export const injectStoreFaults = (
  documentClient: DynamoDBDocumentClient,
  plan: FaultPlan,
  target: { endpoint: ServiceEndpoint; tableName: string },
): { close(): void } => {
  const rival = new DynamoDBClient(clientOptions(target.endpoint));
  const maxAttempts = clientOptions(target.endpoint).maxAttempts ?? 3;
  install(documentClient.middlewareStack, plan, {
    service: 'store',
    maxAttempts,
    allowed: (_command, input) =>
      isVersionedInvoiceWrite(input) ? FAULT_KINDS : FAULT_KINDS.filter((kind) => kind !== 'race'),
    race: async (input) => {
      const key = keyOf(input);
      if (!key) return;
      await rival
        .send(
          new UpdateItemCommand({
            TableName: target.tableName,
            Key: key,
            UpdateExpression: 'SET version = version + :one',
            ConditionExpression: 'attribute_exists(version)',
            ExpressionAttributeValues: { ':one': { N: '1' } },
          }),
        )
        .catch(() => undefined);
    },
  });
  return { close: () => rival.destroy() };
};

/** Faults on an SES v2 client; sends are never retried by the SDK (maxAttempts 1), so each one surfaces. */
export const injectMailFaults = (ses: SESv2Client, plan: FaultPlan): void => {
  install(ses.middlewareStack, plan, {
    service: 'mail',
    maxAttempts: 1,
    allowed: () => FAULT_KINDS.filter((kind) => kind !== 'race'),
  });
};

type Send = DynamoDBDocumentClient['send'];

/** A store client where `before` runs just ahead of each request: a concurrent writer's write, or a fault. */
export const racing = (client: DynamoDBDocumentClient, before: (command: unknown) => Promise<void>) =>
  new Proxy(client, {
    get: (target, key, receiver) =>
      key === 'send'
        ? async (command: Parameters<Send>[0]) => {
            await before(command);
            return target.send(command);
          }
        : Reflect.get(target, key, receiver),
  });
