import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { awsClientOptions } from '../adapters/endpoints.ts';
import { EventBridgeRunScheduler } from '../adapters/scheduler/eventbridge-scheduler.ts';
import {
  optOutSecretFromSecretsManager,
  signingKeyFromSecretsManager,
} from '../adapters/secrets/opt-out-secret.ts';
import type { RunFunctionSettings } from '../config.ts';
import { type InvokedRun, type RunInvocation, runInvocation } from '../domain/run/invocation.ts';
import type { RunEvents } from '../domain/run/ports.ts';
import type { RunOutcome } from '../domain/run/service.ts';
import type { Composition } from './root.ts';
import { buildRun } from './run.ts';

/** What Lambda hands each invocation besides its event. */
export interface RunFunctionContext {
  readonly invokedFunctionArn: string;
  readonly timeLeft: () => number;
}

/**
 * The run's one-time schedules on EventBridge Scheduler (openings, continuations), invoking
 * `runFunctionArn`: the run Lambda's own, or the deployed one for `dunning run --aws`.
 */
export const runScheduler = (
  client: SchedulerClient,
  settings: RunFunctionSettings,
  runFunctionArn: string,
): EventBridgeRunScheduler =>
  new EventBridgeRunScheduler(client, {
    runFunctionArn,
    roleArn: settings.schedulerRoleArn,
    deadLetterArn: settings.deferralDeadLetterArn,
    ...(settings.scheduleGroup ? { groupName: settings.scheduleGroup } : {}),
  });

/** A qualified ARN (alias or version) would pin schedules to it; the unqualified one follows deploys. */
const unqualified = (functionArn: string): string => functionArn.split(':').slice(0, 7).join(':');

/**
 * The run as the run function serves it: EventBridge Scheduler wakes it at openings and for the next
 * part, its links are signed with the keys from Secrets Manager. Built at the first invocation,
 * which brings the function's own ARN (and the keys, fetched once); a failed fetch is retried by the
 * next invocation.
 */
export const buildRunFunction = (app: Composition, settings: RunFunctionSettings, events?: RunEvents) => {
  const schedulerClient = new SchedulerClient(awsClientOptions());
  const optOutSecret = settings.optOutSecretArn
    ? optOutSecretFromSecretsManager(settings.optOutSecretArn)
    : undefined;
  const answerLinkSecret = settings.answerLinkSecretArn
    ? signingKeyFromSecretsManager(settings.answerLinkSecretArn, 'Answer-link secret')
    : undefined;
  let run: InvokedRun | undefined;

  const wire = async (invokedFunctionArn: string): Promise<InvokedRun> => {
    const runFunctionArn = settings.runFunctionArn ?? unqualified(invokedFunctionArn);
    const scheduler = runScheduler(schedulerClient, settings, runFunctionArn);
    return buildRun(app, {
      alarm: scheduler,
      optOutSecret: await optOutSecret?.(),
      answerLinkSecret: await answerLinkSecret?.(),
      continueLater: (runId, cursor) => scheduler.continueRun(runId, cursor ?? 'start', new Date()),
      ...(events ? { events } : {}),
    }).run;
  };

  /** One invocation: the daily run, an opening's deferred customers, or the next part of a long run. */
  return async (invocation: RunInvocation, context: RunFunctionContext): Promise<RunOutcome> => {
    run ??= await wire(context.invokedFunctionArn);
    return runInvocation(run, invocation, { now: app.clock(), timeLeft: context.timeLeft });
  };
};
