import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { awsClientOptions } from '../functions/shared/adapters/endpoints.ts';
import { signingKeyFromSecretsManager } from '../functions/shared/adapters/secrets/opt-out-secret.ts';
import { compose } from '../functions/shared/composition/root.ts';
import { buildRun } from '../functions/shared/composition/run.ts';
import { runScheduler } from '../functions/shared/composition/run-function.ts';
import {
  type LambdaConfig,
  lambdaConfigSchema,
  lambdaSettings,
  loadConfig,
  runFunctionSettings,
} from '../functions/shared/config.ts';
import type { RunRequest } from '../functions/shared/domain/run/service.ts';
import type { CliContext } from './context.ts';
import { STACK_OUTPUTS } from './context.ts';
import { awsRunOutputs, describeStackOutputs } from './stack-outputs.ts';

/**
 * `dunning run --aws`: the run function's own code, run from the operator's machine against the
 * deployed stack (its table, SES through its configuration set, deferrals as EventBridge Scheduler
 * schedules that invoke the run function, opt-out and answer links signed with their keys, the answer
 * link on the respond function's URL). Everything it needs comes from the stack's outputs, so it sends
 * exactly as the scheduled run would, sender and links included. Each value may instead be given in
 * the environment under the name the run function gets it by (DUNNING_RUN_FUNCTION_ARN, ...,
 * DUNNING_OPT_OUT_SECRET, DUNNING_ANSWER_LINK_SECRET); when all are, CloudFormation is not asked.
 */
const OVERRIDES = {
  runFunctionArn: 'DUNNING_RUN_FUNCTION_ARN',
  schedulerRoleArn: 'DUNNING_SCHEDULER_ROLE_ARN',
  scheduleGroupName: 'DUNNING_SCHEDULE_GROUP',
  deferralDlqArn: 'DUNNING_DEFERRAL_DLQ_ARN',
  configurationSetName: 'DUNNING_CONFIGURATION_SET',
  publicUrl: 'DUNNING_PUBLIC_URL',
  respondUrl: 'DUNNING_RESPOND_URL',
} as const;

/** The deployment settings a run reads, as the CLI's own environment gives them. */
const SETTING_NAMES = [
  'DUNNING_TIME_ZONE',
  'DUNNING_BUSINESS_HOURS',
  'DUNNING_RUN_AT',
  'DUNNING_FROM',
  'DUNNING_PAYMENT_URL',
] as const;

export interface AwsRunClients {
  readonly cloudFormation: () => CloudFormationClient;
  readonly secretsManager?: SecretsManagerClient;
  readonly scheduler?: SchedulerClient;
}

export interface AwsRunConfig {
  readonly config: LambdaConfig;
  readonly optOutSecret: () => Promise<string>;
  readonly answerLinkSecret: () => Promise<string>;
}

const defined = (entries: [string, string | undefined][]): Record<string, string> =>
  Object.fromEntries(entries.filter((entry): entry is [string, string] => Boolean(entry[1])));

const required = (config: LambdaConfig, name: keyof typeof config): string => {
  const value = config[name];
  // resolveAwsRunConfig fills every one of them or has already said which output is missing.
  if (typeof value !== 'string') throw new Error(`${name} was not resolved`);
  return value;
};

/** The run function's configuration for this CLI run: environment first, then the stack's outputs. */
export const resolveAwsRunConfig = async (
  context: Pick<CliContext, 'tableName' | 'config'>,
  env: NodeJS.ProcessEnv,
  clients: AwsRunClients,
): Promise<AwsRunConfig> => {
  const overrides = defined(Object.values(OVERRIDES).map((name) => [name, env[name]]));
  const ownSettings = defined(SETTING_NAMES.map((name) => [name, env[name]]));
  const { DUNNING_OPT_OUT_SECRET: optOutValue, DUNNING_ANSWER_LINK_SECRET: answerValue } = context.config;
  const complete = Object.values(OVERRIDES).every((name) => overrides[name]) && optOutValue && answerValue;
  let deployed: Record<string, string> = {};
  if (!complete) {
    const stackName = context.config.DUNNING_STACK_NAME;
    const outputs = await describeStackOutputs(clients.cloudFormation(), stackName);
    const run = awsRunOutputs(outputs, stackName);
    deployed = {
      ...(JSON.parse(run.settings) as Record<string, string>),
      [OVERRIDES.runFunctionArn]: run.runFunctionArn,
      [OVERRIDES.schedulerRoleArn]: run.schedulerRoleArn,
      [OVERRIDES.scheduleGroupName]: run.scheduleGroupName,
      [OVERRIDES.deferralDlqArn]: run.deferralDlqArn,
      [OVERRIDES.configurationSetName]: run.configurationSetName,
      [OVERRIDES.respondUrl]: run.respondUrl,
      DUNNING_OPT_OUT_SECRET_ARN: run.optOutSecretArn,
      DUNNING_ANSWER_LINK_SECRET_ARN: run.answerLinkSecretArn,
      ...defined([[OVERRIDES.publicUrl, outputs.get(STACK_OUTPUTS.webhookUrl)]]),
    };
  }
  // The deployed settings outrank the shell's: the sender must be the identity SES verified.
  const config = loadConfig(lambdaConfigSchema, {
    ...ownSettings,
    ...deployed,
    ...overrides,
    DUNNING_TABLE_NAME: context.tableName,
  });
  const options = clients.secretsManager ? { client: clients.secretsManager } : {};
  // A key given in the environment wins; otherwise the stack's secret, read as the run function reads it.
  const key = (value: string | undefined, arn: keyof LambdaConfig, what: string) =>
    value ? async () => value : signingKeyFromSecretsManager(required(config, arn), what, options);
  return {
    config,
    optOutSecret: key(optOutValue, 'DUNNING_OPT_OUT_SECRET_ARN', 'Opt-out secret'),
    answerLinkSecret: key(answerValue, 'DUNNING_ANSWER_LINK_SECRET_ARN', 'Answer-link secret'),
  };
};
/** The deployed run, built in this process; `runAll` has the local run's signature for `dunning run`. */
export const createAwsCliRun = async (
  context: Pick<CliContext, 'tableName' | 'config' | 'documentClient' | 'policy'>,
  env: NodeJS.ProcessEnv,
  clients: AwsRunClients,
) => {
  const { config, optOutSecret, answerLinkSecret } = await resolveAwsRunConfig(context, env, clients);
  const schedulerClient = clients.scheduler ?? new SchedulerClient(awsClientOptions());
  // Links, sender and schedules exactly as the run function has them: the deployed settings, mapped alike.
  const names = [
    'DUNNING_CONFIGURATION_SET',
    'DUNNING_PUBLIC_URL',
    'DUNNING_RESPOND_URL',
    'DUNNING_SCHEDULE_GROUP',
  ] as const;
  for (const name of names) required(config, name);
  const app = compose(lambdaSettings(config), context.policy, {
    dynamo: context.documentClient,
    ses: { kind: 'aws' },
  });
  const { run, preview, close } = buildRun(app, {
    // The schedules the deployed run function makes, pointing at it.
    alarm: runScheduler(
      schedulerClient,
      runFunctionSettings(config),
      required(config, 'DUNNING_RUN_FUNCTION_ARN'),
    ),
    optOutSecret: await optOutSecret(),
    answerLinkSecret: await answerLinkSecret(),
  });
  return {
    config,
    runAll: (request: RunRequest) => run.run(request),
    preview,
    close: () => {
      close();
      if (!clients.scheduler) schedulerClient.destroy();
    },
  };
};
