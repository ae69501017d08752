import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { Context } from 'aws-lambda';
import { awsClientOptions } from '../shared/adapters/endpoints.ts';
import { EventBridgeRunScheduler } from '../shared/adapters/scheduler/eventbridge-scheduler.ts';
import {
  optOutSecretFromSecretsManager,
  signingKeyFromSecretsManager,
} from '../shared/adapters/secrets/opt-out-secret.ts';
import { compose } from '../shared/composition/root.ts';
import { buildRun } from '../shared/composition/run.ts';
import { lambdaConfigSchema, lambdaSettings, loadConfig, requiredSetting } from '../shared/config.ts';
import { failureReason } from '../shared/domain/run/failure.ts';
import { METRICS_NAMESPACE, RUN_SERVICE } from '../shared/metric-names.ts';
import { loadPolicy } from '../shared/policy.ts';
import { runEventSchema } from './event.ts';
import { runObservability } from './observability.ts';

/** Time kept back from the invocation's end to save the checkpoint and schedule the next part. */
const RESERVE_MS = 60_000;

// Built once per cold start; the run function's own ARN arrives with the first invocation.
const config = loadConfig(lambdaConfigSchema);
const by = 'the run function';
const app = compose(lambdaSettings(config), loadPolicy(), { dynamo: { kind: 'aws' }, ses: { kind: 'aws' } });
requiredSetting(config, 'DUNNING_PUBLIC_URL', by);
const roleArn = requiredSetting(config, 'DUNNING_SCHEDULER_ROLE_ARN', by);
const deadLetterArn = requiredSetting(config, 'DUNNING_DEFERRAL_DLQ_ARN', by);
const logger = new Logger({ serviceName: RUN_SERVICE });
const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: RUN_SERVICE });
const observability = runObservability(logger, {
  addMetric: (name, unit, value) => metrics.addMetric(name, MetricUnit[unit], value),
  publishStoredMetrics: () => metrics.publishStoredMetrics(),
});
const schedulerClient = new SchedulerClient(awsClientOptions());
let wired: ReturnType<typeof wire> | undefined;

const optOutSecret = config.DUNNING_OPT_OUT_SECRET_ARN
  ? optOutSecretFromSecretsManager(config.DUNNING_OPT_OUT_SECRET_ARN)
  : undefined;

const answerLinkSecret = config.DUNNING_ANSWER_LINK_SECRET_ARN
  ? signingKeyFromSecretsManager(config.DUNNING_ANSWER_LINK_SECRET_ARN, 'Answer-link secret')
  : undefined;

const wire = (runFunctionArn: string, optOutKey: string | undefined, answerKey: string | undefined) => {
  const scheduler = new EventBridgeRunScheduler(schedulerClient, {
    runFunctionArn,
    roleArn,
    deadLetterArn,
    ...(config.DUNNING_SCHEDULE_GROUP ? { groupName: config.DUNNING_SCHEDULE_GROUP } : {}),
  });
  return buildRun(app, {
    alarm: scheduler,
    optOutSecret: optOutKey,
    answerLinkSecret: answerKey,
    continueLater: (runId, cursor) => scheduler.continueRun(runId, cursor ?? 'start', new Date()),
    events: observability.events,
  }).run;
};

/** The run Lambda: the daily run, an opening's deferred customers, or the next part of a long run. */
export const handler = async (
  event: unknown,
  context: Pick<Context, 'invokedFunctionArn' | 'getRemainingTimeInMillis'>,
) => {
  const runEvent = runEventSchema.parse(event);
  // A qualified ARN (alias or version) would pin schedules to it; the unqualified one follows deploys.
  wired ??= wire(
    config.DUNNING_RUN_FUNCTION_ARN ?? context.invokedFunctionArn.split(':').slice(0, 7).join(':'),
    await optOutSecret?.(),
    await answerLinkSecret?.(),
  );
  const timeLeft = () => context.getRemainingTimeInMillis() - RESERVE_MS;
  const started = Date.now();
  const work = wired;
  const outcome = await (async () => {
    if (runEvent.kind === 'daily')
      return work.run({
        asOf: runEvent.asOf ? new Date(runEvent.asOf) : new Date(),
        timeLeft,
        trigger: 'daily',
      });
    if (runEvent.kind === 'opening')
      return work.runOpening(new Date(runEvent.at), { asOf: new Date(), timeLeft });
    if (runEvent.kind === 'deferred')
      return work.runDeferred(runEvent.customerId, runEvent.runId, { asOf: new Date(), timeLeft });
    return work.resume(runEvent.runId, timeLeft);
  })().catch((error: unknown) => {
    // Thrown on: Lambda retries the invocation, then hands it to the on-failure destination (alarmed).
    logger.error('run failed', { kind: runEvent.kind, reason: failureReason(error) });
    throw error;
  });
  observability.reportPart(runEvent.kind, outcome, Date.now() - started);
  return {
    runId: outcome.runId,
    done: outcome.done,
    ...(outcome.duplicate ? { duplicate: true } : {}),
    ...outcome.summary,
  };
};
