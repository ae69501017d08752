import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  awsClientOptions,
  localEndpoint,
  type ServiceEndpoint,
} from '../functions/shared/adapters/endpoints.ts';
import { type Composition, compose } from '../functions/shared/composition/root.ts';
import { cliSettings, type LocalConfig, loadConfig, localConfigSchema } from '../functions/shared/config.ts';
import { UserInputError } from '../functions/shared/errors.ts';
import { loadPolicy } from '../functions/shared/policy.ts';
import { LOCAL_TABLE_NAME } from '../functions/shared/tables.ts';
import type { CommonOptions } from './command.ts';

/** Names of the stack outputs the CLI reads with `--aws`; infra/ declares them with these ids. */
export const STACK_OUTPUTS = { tableName: 'LedgerTableName', webhookUrl: 'WebhookUrl' } as const;

/**
 * Everything a command works with, on the local stack or the deployed one, built once per command:
 * the composition (functions/shared/composition/) on the target's store and mail service.
 */
export interface CliContext extends Composition {
  readonly config: LocalConfig;
  readonly target: 'local' | 'aws';
  readonly dynamoEndpoint: ServiceEndpoint;
}

const deployedTableName = async (
  config: LocalConfig,
  cloudFormation: CloudFormationClient,
): Promise<string> => {
  if (config.DUNNING_TABLE_NAME) return config.DUNNING_TABLE_NAME;
  const { Stacks } = await cloudFormation.send(
    new DescribeStacksCommand({ StackName: config.DUNNING_STACK_NAME }),
  );
  const output = Stacks?.[0]?.Outputs?.find((candidate) => candidate.OutputKey === STACK_OUTPUTS.tableName);
  if (!output?.OutputValue) {
    throw new UserInputError(
      `Stack "${config.DUNNING_STACK_NAME}" has no output ${STACK_OUTPUTS.tableName}; deploy it with "npm run deploy" or set DUNNING_TABLE_NAME.`,
    );
  }
  return output.OutputValue;
};

export const createCliContext = async (
  options: CommonOptions,
  env: NodeJS.ProcessEnv = process.env,
  cloudFormation: () => CloudFormationClient = () => new CloudFormationClient(awsClientOptions()),
): Promise<CliContext> => {
  const config = loadConfig(localConfigSchema, env);
  const target = options.aws ? 'aws' : config.DUNNING_TARGET;
  const policy = loadPolicy();
  const dynamoEndpoint: ServiceEndpoint =
    target === 'aws' ? { kind: 'aws' } : localEndpoint(config.DUNNING_DYNAMODB_PORT);
  const sesEndpoint: ServiceEndpoint =
    target === 'aws' ? { kind: 'aws' } : localEndpoint(config.DUNNING_SES_PORT);
  const tableName =
    target === 'aws'
      ? await deployedTableName(config, cloudFormation())
      : (config.DUNNING_TABLE_NAME ?? LOCAL_TABLE_NAME);
  const app = compose(cliSettings(config, tableName, target), policy, {
    dynamo: dynamoEndpoint,
    ses: sesEndpoint,
  });
  return { ...app, config, target, dynamoEndpoint };
};
