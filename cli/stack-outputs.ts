import { type CloudFormationClient, DescribeStacksCommand, type Stack } from '@aws-sdk/client-cloudformation';
import { UserInputError } from '../functions/shared/errors.ts';

/**
 * Output ids of the deployed stack that `dunning run --aws` reads to run as the run function would:
 * its deferral schedules, sender settings, opt-out key, and the answer link's base and key.
 * infra/dunning-stack.ts declares them.
 */
export const AWS_RUN_OUTPUTS = {
  runFunctionArn: 'RunFunctionArn',
  schedulerRoleArn: 'SchedulerRoleArn',
  scheduleGroupName: 'ScheduleGroupName',
  deferralDlqArn: 'DeferralDlqArn',
  configurationSetName: 'ConfigurationSetName',
  optOutSecretArn: 'OptOutSecretArn',
  /** Base URL of the respond function: the reminders' answer links point at `{RespondUrl}/respond`. */
  respondUrl: 'RespondUrl',
  answerLinkSecretArn: 'AnswerLinkSecretArn',
  /** The DUNNING_* settings the stack was deployed with, as JSON (the sender, zone, business hours). */
  settings: 'RunSettings',
} as const;

export type AwsRunOutputs = { readonly [Name in keyof typeof AWS_RUN_OUTPUTS]: string };

/** Every output of the stack, by id; a missing stack is the user's to fix (name, region, credentials). */
export const describeStackOutputs = async (
  client: CloudFormationClient,
  stackName: string,
): Promise<Map<string, string>> => {
  let stacks: Stack[] | undefined;
  try {
    ({ Stacks: stacks } = await client.send(new DescribeStacksCommand({ StackName: stackName })));
  } catch (error) {
    if ((error as { name?: string }).name === 'ValidationError')
      throw new UserInputError(
        `No stack "${stackName}" in this account and region; deploy it with "npm run deploy" or set DUNNING_STACK_NAME.`,
      );
    throw error;
  }
  return new Map(
    (stacks?.[0]?.Outputs ?? []).flatMap((output) =>
      output.OutputKey && output.OutputValue ? [[output.OutputKey, output.OutputValue] as const] : [],
    ),
  );
};

/** The run outputs, all of them or a message naming the first one missing (a stack deployed before them). */
export const awsRunOutputs = (outputs: ReadonlyMap<string, string>, stackName: string): AwsRunOutputs => {
  const entries = Object.entries(AWS_RUN_OUTPUTS).map(([name, id]) => {
    const value = outputs.get(id);
    if (!value)
      throw new UserInputError(
        `Stack "${stackName}" has no output ${id}; redeploy it with "npm run deploy" to run with --aws.`,
      );
    return [name, value];
  });
  return Object.fromEntries(entries) as AwsRunOutputs;
};
