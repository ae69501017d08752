import { type CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { STACK_OUTPUTS } from '../../cli/context.ts';
import { AWS_RUN_OUTPUTS } from '../../cli/stack-outputs.ts';

/** The settings a deployed stack hands the CLI's `--aws` run, as its Settings output carries them. */
export const DEPLOYED_SETTINGS = {
  DUNNING_TIME_ZONE: 'Europe/Berlin',
  DUNNING_BUSINESS_HOURS: 'Mon,Tue,Wed,Thu,Fri 08:00-18:00',
  DUNNING_RUN_AT: '07:30',
  DUNNING_FROM: 'Billing <billing@acme.example>',
  DUNNING_PAYMENT_URL: 'https://pay.acme.example/{invoiceId}',
};

/** Every output `dunning run --aws` reads from a deployed stack, with made-up but well-formed values. */
export const DEPLOYED_OUTPUTS: Record<string, string> = {
  [STACK_OUTPUTS.tableName]: 'Dunning-Ledger-1A2B',
  [STACK_OUTPUTS.webhookUrl]: 'https://abc123.lambda-url.eu-west-1.on.aws/',
  [AWS_RUN_OUTPUTS.runFunctionArn]: 'arn:aws:lambda:eu-west-1:123456789012:function:Dunning-Run',
  [AWS_RUN_OUTPUTS.schedulerRoleArn]: 'arn:aws:iam::123456789012:role/Dunning-SchedulerRole',
  [AWS_RUN_OUTPUTS.scheduleGroupName]: 'Dunning-deferrals',
  [AWS_RUN_OUTPUTS.deferralDlqArn]: 'arn:aws:sqs:eu-west-1:123456789012:Dunning-DLQ',
  [AWS_RUN_OUTPUTS.configurationSetName]: 'Dunning-ConfigurationSet',
  [AWS_RUN_OUTPUTS.optOutSecretArn]: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:OptOut-x1',
  [AWS_RUN_OUTPUTS.respondUrl]: 'https://resp456.lambda-url.eu-west-1.on.aws/',
  [AWS_RUN_OUTPUTS.answerLinkSecretArn]: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:LinkKey-y2',
  [AWS_RUN_OUTPUTS.settings]: JSON.stringify(DEPLOYED_SETTINGS),
};

/** A DescribeStacks answer for a stack named Dunning with these outputs. */
export const stackWith = (values: Record<string, string>) => ({
  Stacks: [
    {
      StackName: 'Dunning',
      CreationTime: new Date('2026-01-01T00:00:00Z'),
      StackStatus: 'UPDATE_COMPLETE' as const,
      Outputs: Object.entries(values).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
    },
  ],
});

/** The two link keys the stack's secrets hold, as the mocks below answer them. */
export const DEPLOYED_KEYS = { optOut: 'k'.repeat(64), answerLink: 'a'.repeat(64) };

/**
 * Mocks answering as that stack does: DescribeStacks with `values`, and each link key only for its own
 * secret's ARN, so a read of the wrong secret finds nothing.
 */
export const answerAsDeployedStack = (
  cloudFormation: AwsClientStub<CloudFormationClient>,
  secretsManager: AwsClientStub<SecretsManagerClient>,
  values: Record<string, string> = DEPLOYED_OUTPUTS,
): void => {
  cloudFormation.on(DescribeStacksCommand).resolves(stackWith(values));
  secretsManager
    .on(GetSecretValueCommand, { SecretId: values[AWS_RUN_OUTPUTS.optOutSecretArn] })
    .resolves({ SecretString: DEPLOYED_KEYS.optOut })
    .on(GetSecretValueCommand, { SecretId: values[AWS_RUN_OUTPUTS.answerLinkSecretArn] })
    .resolves({ SecretString: DEPLOYED_KEYS.answerLink });
};
