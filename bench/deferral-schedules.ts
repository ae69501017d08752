import { ConflictException, SchedulerClient } from '@aws-sdk/client-scheduler';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createLocalRun } from '../functions/run/local.ts';
import type { ServiceEndpoint } from '../functions/shared/adapters/endpoints.ts';
import { EventBridgeDeferralScheduler } from '../functions/shared/adapters/scheduler/eventbridge-scheduler.ts';
import type { LocalConfig } from '../functions/shared/config.ts';
import type { Deferral, DeferralScheduler } from '../functions/shared/domain/run/ports.ts';

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

/** Passes deferrals on, noting the distinct opening instants the run deferred customers to. */
const notingOpenings = (scheduler: DeferralScheduler, openings: Set<string>, customers: Set<string>) => ({
  defer: (deferral: Deferral) => {
    openings.add(deferral.opening.instant.toISOString());
    customers.add(deferral.customerId);
    return scheduler.defer(deferral);
  },
});

export interface DeferralMeasure {
  readonly schedulesCreated: number;
  readonly createRequests: number;
  readonly openings: number;
  readonly customersDeferred: number;
  readonly deferred: number;
}

/**
 * Two real local runs as of `asOf` (outside every customer's business hours), the second standing
 * for a retried one, deferring through the EventBridge Scheduler adapter the run Lambda uses.
 */
export const measureDeferralSchedules = async (options: {
  readonly config: LocalConfig;
  readonly tableName: string;
  readonly documentClient: DynamoDBDocumentClient;
  readonly sesEndpoint: ServiceEndpoint;
  readonly asOf: Date;
}): Promise<DeferralMeasure> => {
  const standIn = schedulerStandIn();
  const openings = new Set<string>();
  const customers = new Set<string>();
  const scheduler = notingOpenings(
    new EventBridgeDeferralScheduler(standIn.client, {
      runFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:dunning-run',
      roleArn: 'arn:aws:iam::123456789012:role/dunning-scheduler',
      deadLetterArn: 'arn:aws:sqs:us-east-1:123456789012:dunning-deferrals-dlq',
    }),
    openings,
    customers,
  );
  let deferred = 0;
  for (let attempt = 0; attempt < 2; attempt += 1) {
    const local = createLocalRun(options, { scheduler });
    try {
      const { summary } = await local.run.run({ asOf: options.asOf });
      if (attempt === 0) deferred = summary.deferred;
    } finally {
      local.close();
    }
  }
  standIn.client.destroy();
  return {
    schedulesCreated: standIn.created.size,
    createRequests: standIn.requests(),
    openings: openings.size,
    customersDeferred: customers.size,
    deferred,
  };
};
