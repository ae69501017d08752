import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { compose } from '../shared/composition/root.ts';
import { buildRunFunction } from '../shared/composition/run-function.ts';
import { lambdaConfigSchema, lambdaSettings, loadConfig, runFunctionSettings } from '../shared/config.ts';
import { failureReason } from '../shared/domain/run/failure.ts';
import type { RunInvocation } from '../shared/domain/run/invocation.ts';
import { METRICS_NAMESPACE, RUN_SERVICE } from '../shared/metric-names.ts';
import { loadPolicy } from '../shared/policy.ts';
import { runEventSchema } from './event.ts';
import { runObservability } from './observability.ts';

/** Time kept back from the invocation's end to save the checkpoint and schedule the next part. */
const RESERVE_MS = 60_000;

// Built once per cold start; the run function's own ARN arrives with the first invocation.
const config = loadConfig(lambdaConfigSchema);
const app = compose(lambdaSettings(config), loadPolicy(), { dynamo: { kind: 'aws' }, ses: { kind: 'aws' } });
const settings = runFunctionSettings(config);
const logger = new Logger({ serviceName: RUN_SERVICE });
const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: RUN_SERVICE });
const observability = runObservability(logger, {
  addMetric: (name, unit, value) => metrics.addMetric(name, MetricUnit[unit], value),
  publishStoredMetrics: () => metrics.publishStoredMetrics(),
});
const invoke = buildRunFunction(app, settings, observability.events);

/** The run Lambda: the daily run, an opening's deferred customers, or the next part of a long run. */
export const handler = async (
  event: unknown,
  context: Pick<Context, 'invokedFunctionArn' | 'getRemainingTimeInMillis'>,
) => {
  const runEvent: RunInvocation = runEventSchema.parse(event);
  const started = Date.now();
  const outcome = await invoke(runEvent, {
    invokedFunctionArn: context.invokedFunctionArn,
    timeLeft: () => context.getRemainingTimeInMillis() - RESERVE_MS,
  }).catch((error: unknown) => {
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
