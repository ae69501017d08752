import { ConflictException, SchedulerClient } from '@aws-sdk/client-scheduler';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createLocalRun } from '../functions/run/local.ts';
import { RunDeferrals } from '../functions/shared/adapters/dynamodb/run-deferrals.ts';
import type { ServiceEndpoint } from '../functions/shared/adapters/endpoints.ts';
import { EventBridgeRunScheduler } from '../functions/shared/adapters/scheduler/eventbridge-scheduler.ts';
import { composeLocal } from '../functions/shared/composition/local.ts';
import type { LocalConfig } from '../functions/shared/config.ts';

/**
 * EventBridge Scheduler as the bench needs it: CreateSchedule answered in the client's own middleware
 * stack as the service answers it (a name already taken in the group is a ConflictException), so
 * the adapter's exact requests are counted without an AWS account.
 */
export const schedulerStandIn = () => {
  const created = new Map<string, { expression: string; timeZone: string; input: string }>();
  let requests = 0;
  const client = new SchedulerClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  });
  client.middlewareStack.add(
    () => async (args) => {
      const input = args.input as {
        Name: string;
        GroupName?: string;
        ScheduleExpression: string;
        ScheduleExpressionTimezone?: string;
        Target: { Input?: string };
      };
      requests += 1;
      const key = `${input.GroupName ?? 'default'}/${input.Name}`;
      if (created.has(key))
        throw new ConflictException({
          message: `Schedule ${input.Name} already exists.`,
          Message: `Schedule ${input.Name} already exists.`,
          $metadata: {},
        });
      created.set(key, {
        expression: input.ScheduleExpression,
        timeZone: input.ScheduleExpressionTimezone ?? 'UTC',
        input: input.Target.Input ?? '',
      });
      return {
        output: { ScheduleArn: `arn:aws:scheduler:us-east-1:123456789012:schedule/${key}`, $metadata: {} },
        response: {},
      };
    },
    { step: 'initialize', name: 'benchSchedulerStandIn', override: true },
  );
  return { client, created, requests: () => requests };
};

export interface DeferralMeasure {
  readonly schedulesCreated: number;
  readonly createRequests: number;
  readonly openings: number;
  readonly customersDeferred: number;
  readonly deferred: number;
  /** Reminders sent by the invocations the schedules fire, one per schedule. */
  readonly sentByOpenings: number;
  /** Customers left waiting after every opening ran (one whose opening fell on a holiday waits again). */
  readonly stillWaiting: number;
}

/**
 * Two real local runs as of `asOf` (outside every customer's business hours), the second standing
 * for a retried one, deferring through the EventBridge Scheduler adapter the run Lambda uses; then
 * the invocation each schedule fires, a minute after its opening.
 */
export const measureDeferralSchedules = async (options: {
  readonly config: LocalConfig;
  readonly tableName: string;
  readonly documentClient: DynamoDBDocumentClient;
  readonly sesEndpoint: ServiceEndpoint;
  readonly asOf: Date;
}): Promise<DeferralMeasure> => {
  const standIn = schedulerStandIn();
  const connections = { dynamo: options.documentClient, ses: options.sesEndpoint };
  const alarm = new EventBridgeRunScheduler(standIn.client, {
    runFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:dunning-run',
    roleArn: 'arn:aws:iam::123456789012:role/dunning-scheduler',
    deadLetterArn: 'arn:aws:sqs:us-east-1:123456789012:dunning-deferrals-dlq',
  });
  let deferred = 0;
  for (let attempt = 0; attempt < 2; attempt += 1) {
    // A fresh composition each time, as a retried invocation in a fresh Lambda would build.
    const local = createLocalRun(composeLocal(options.config, options.tableName, connections), {}, { alarm });
    try {
      const { summary } = await local.run.run({ asOf: options.asOf });
      if (attempt === 0) deferred = summary.deferred;
    } finally {
      local.close();
    }
  }
  const schedulesCreated = standIn.created.size;
  const createRequests = standIn.requests();
  // The opening instants the run deferred customers to, as it wrote them down for the openings' runs.
  const book = new RunDeferrals(options.documentClient, options.tableName);
  const waiting = await book.due(new Date(options.asOf.getTime() + 30 * 86_400_000));
  const openings = new Set(waiting.map((entry) => entry.at.toISOString()));
  const customers = new Set(waiting.map((entry) => entry.customerId));
  // Each schedule fires once, a minute after its opening: every customer waiting for it is worked.
  let sentByOpenings = 0;
  const local = createLocalRun(composeLocal(options.config, options.tableName, connections), {}, { alarm });
  try {
    const instants = [...standIn.created.values()].map(
      ({ input }) => (JSON.parse(input) as { at: string }).at,
    );
    // In the order they fire: a later opening's run would also take (and re-defer) earlier ones.
    for (const at of instants.sort()) {
      const opening = new Date(at);
      const { summary } = await local.run.runOpening(opening, { asOf: new Date(opening.getTime() + 60_000) });
      sentByOpenings += summary.sent;
    }
  } finally {
    local.close();
    standIn.client.destroy();
  }
  const stillWaiting = await book.due(new Date(options.asOf.getTime() + 30 * 86_400_000));
  return {
    schedulesCreated,
    createRequests,
    openings: openings.size,
    customersDeferred: customers.size,
    deferred,
    sentByOpenings,
    stillWaiting: stillWaiting.length,
  };
};
