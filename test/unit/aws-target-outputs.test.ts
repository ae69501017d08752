import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveAwsRunConfig } from '../../cli/aws-run.ts';
import { AWS_RUN_OUTPUTS } from '../../cli/stack-outputs.ts';
import { loadConfig, localConfigSchema } from '../../functions/shared/config.ts';
import { UserInputError } from '../../functions/shared/errors.ts';
import { answerAsDeployedStack, DEPLOYED_OUTPUTS, stackWith } from '../support/deployed-stack.ts';

const outputs = DEPLOYED_OUTPUTS;
const contextFor = (env: NodeJS.ProcessEnv) => ({
  tableName: 'Dunning-Ledger-1A2B',
  config: loadConfig(localConfigSchema, { DUNNING_TARGET: 'aws', ...env }),
});

describe('dunning run --aws configuration from the stack outputs', () => {
  const cloudFormation = mockClient(CloudFormationClient);
  const secretsManager = mockClient(SecretsManagerClient);
  const clients = () => ({
    cloudFormation: () => new CloudFormationClient({}),
    secretsManager: new SecretsManagerClient({}),
  });
  afterEach(() => {
    cloudFormation.reset();
    secretsManager.reset();
  });

  it('reads every value from one DescribeStacks of DUNNING_STACK_NAME and both keys from Secrets Manager', async () => {
    answerAsDeployedStack(cloudFormation, secretsManager, outputs);
    const env = { DUNNING_STACK_NAME: 'Dunning', DUNNING_FROM: 'Someone <unverified@laptop.example>' };

    const { config, optOutSecret, answerLinkSecret } = await resolveAwsRunConfig(
      contextFor(env),
      env,
      clients(),
    );

    expect(cloudFormation).toHaveReceivedCommandExactlyOnceWith(DescribeStacksCommand, {
      StackName: 'Dunning',
    });
    expect(config).toMatchObject({
      DUNNING_TABLE_NAME: 'Dunning-Ledger-1A2B',
      DUNNING_RUN_FUNCTION_ARN: outputs[AWS_RUN_OUTPUTS.runFunctionArn],
      DUNNING_SCHEDULER_ROLE_ARN: outputs[AWS_RUN_OUTPUTS.schedulerRoleArn],
      DUNNING_SCHEDULE_GROUP: 'Dunning-deferrals',
      DUNNING_DEFERRAL_DLQ_ARN: outputs[AWS_RUN_OUTPUTS.deferralDlqArn],
      DUNNING_CONFIGURATION_SET: 'Dunning-ConfigurationSet',
      DUNNING_PUBLIC_URL: 'https://abc123.lambda-url.eu-west-1.on.aws/',
      // The answer links point at the respond function, not at the payment function.
      DUNNING_RESPOND_URL: 'https://resp456.lambda-url.eu-west-1.on.aws/',
      // The deployed sender, not the shell's: SES only sends from the verified identity.
      DUNNING_FROM: 'Billing <billing@acme.example>',
      DUNNING_TIME_ZONE: 'Europe/Berlin',
      DUNNING_BUSINESS_HOURS: { opensAt: 8 * 60, closesAt: 18 * 60 },
    });
    expect(await optOutSecret()).toBe('k'.repeat(64));
    expect(await answerLinkSecret()).toBe('a'.repeat(64));
    expect(secretsManager).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
    expect(secretsManager).toHaveReceivedCommandWith(GetSecretValueCommand, {
      SecretId: outputs[AWS_RUN_OUTPUTS.optOutSecretArn],
    });
    expect(secretsManager).toHaveReceivedCommandWith(GetSecretValueCommand, {
      SecretId: outputs[AWS_RUN_OUTPUTS.answerLinkSecretArn],
    });
  });

  it('refuses an answer-link key shorter than the run function accepts, naming the secret', async () => {
    cloudFormation.on(DescribeStacksCommand).resolves(stackWith(outputs));
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: 'short' });
    const env = { DUNNING_OPT_OUT_SECRET: 's'.repeat(40) };

    const { answerLinkSecret } = await resolveAwsRunConfig(contextFor(env), env, clients());

    await expect(answerLinkSecret()).rejects.toThrow(
      `Answer-link secret ${outputs[AWS_RUN_OUTPUTS.answerLinkSecretArn]} is malformed`,
    );
    expect(secretsManager).toHaveReceivedCommandExactlyOnceWith(GetSecretValueCommand, {
      SecretId: outputs[AWS_RUN_OUTPUTS.answerLinkSecretArn],
    });
  });

  it('asks CloudFormation nothing when the environment gives every value', async () => {
    const env = {
      DUNNING_RUN_FUNCTION_ARN: 'arn:aws:lambda:eu-west-1:123456789012:function:Other-Run',
      DUNNING_SCHEDULER_ROLE_ARN: 'arn:aws:iam::123456789012:role/Other',
      DUNNING_SCHEDULE_GROUP: 'Other-deferrals',
      DUNNING_DEFERRAL_DLQ_ARN: 'arn:aws:sqs:eu-west-1:123456789012:Other-DLQ',
      DUNNING_CONFIGURATION_SET: 'Other-Set',
      DUNNING_PUBLIC_URL: 'https://other.example/',
      DUNNING_RESPOND_URL: 'https://answers.other.example/',
      DUNNING_OPT_OUT_SECRET: 's'.repeat(40),
      DUNNING_ANSWER_LINK_SECRET: 'r'.repeat(40),
    };

    const { config, optOutSecret, answerLinkSecret } = await resolveAwsRunConfig(
      contextFor(env),
      env,
      clients(),
    );

    expect(cloudFormation).not.toHaveReceivedAnyCommand();
    expect(secretsManager).not.toHaveReceivedAnyCommand();
    expect(config.DUNNING_SCHEDULE_GROUP).toBe('Other-deferrals');
    expect(config.DUNNING_RESPOND_URL).toBe('https://answers.other.example/');
    expect(await optOutSecret()).toBe('s'.repeat(40));
    expect(await answerLinkSecret()).toBe('r'.repeat(40));
  });

  it('names the missing output of a stack deployed before it existed', async () => {
    const { [AWS_RUN_OUTPUTS.schedulerRoleArn]: _dropped, ...older } = outputs;
    cloudFormation.on(DescribeStacksCommand).resolves(stackWith(older));

    const attempt = resolveAwsRunConfig(contextFor({}), {}, clients());

    await expect(attempt).rejects.toBeInstanceOf(UserInputError);
    await expect(attempt).rejects.toThrow(
      'Stack "Dunning" has no output SchedulerRoleArn; redeploy it with "npm run deploy" to run with --aws.',
    );
  });

  it('names the stack when CloudFormation does not know it', async () => {
    cloudFormation
      .on(DescribeStacksCommand)
      .rejects(Object.assign(new Error('Stack with id Nope does not exist'), { name: 'ValidationError' }));

    await expect(
      resolveAwsRunConfig(contextFor({ DUNNING_STACK_NAME: 'Nope' }), {}, clients()),
    ).rejects.toThrow('No stack "Nope" in this account and region');
    expect(cloudFormation).toHaveReceivedCommandWith(DescribeStacksCommand, { StackName: 'Nope' });
  });
});
