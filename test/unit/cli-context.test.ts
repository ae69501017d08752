import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type CliContext, createCliContext, STACK_OUTPUTS } from '../../cli/context.ts';
import { UserInputError } from '../../functions/shared/errors.ts';

const stackWith = (outputs: { OutputKey: string; OutputValue: string }[]) => ({
  Stacks: [
    {
      StackName: 'Dunning',
      CreationTime: new Date('2026-01-01T00:00:00Z'),
      StackStatus: 'CREATE_COMPLETE' as const,
      Outputs: outputs,
    },
  ],
});

describe('CLI context on the deployed stack (--aws)', () => {
  const cloudFormation = mockClient(CloudFormationClient);
  let context: CliContext | undefined;

  beforeEach(() => {
    cloudFormation.reset();
  });
  afterEach(() => {
    context?.close();
    context = undefined;
  });

  it('reads the table name from the stack output when --aws is given', async () => {
    cloudFormation.on(DescribeStacksCommand).resolves(
      stackWith([
        { OutputKey: STACK_OUTPUTS.webhookUrl, OutputValue: 'https://abc.lambda-url.eu-west-1.on.aws/' },
        { OutputKey: STACK_OUTPUTS.tableName, OutputValue: 'Dunning-LedgerTable-1X2Y3Z' },
      ]),
    );

    context = await createCliContext({ aws: true }, {});

    expect(cloudFormation).toHaveReceivedCommandExactlyOnceWith(DescribeStacksCommand, {
      StackName: 'Dunning',
    });
    expect(context.target).toBe('aws');
    expect(context.tableName).toBe('Dunning-LedgerTable-1X2Y3Z');
    expect(context.dynamoEndpoint).toEqual({ kind: 'aws' });
  });

  it('asks for the stack named by DUNNING_STACK_NAME when DUNNING_TARGET=aws', async () => {
    cloudFormation
      .on(DescribeStacksCommand)
      .resolves(stackWith([{ OutputKey: STACK_OUTPUTS.tableName, OutputValue: 'Staging-Ledger' }]));

    context = await createCliContext({}, { DUNNING_TARGET: 'aws', DUNNING_STACK_NAME: 'DunningStaging' });

    expect(cloudFormation).toHaveReceivedCommandExactlyOnceWith(DescribeStacksCommand, {
      StackName: 'DunningStaging',
    });
    expect(context.tableName).toBe('Staging-Ledger');
  });

  it('uses DUNNING_TABLE_NAME without asking CloudFormation when it is set', async () => {
    context = await createCliContext({ aws: true }, { DUNNING_TABLE_NAME: 'Explicit-Ledger' });

    expect(cloudFormation).not.toHaveReceivedAnyCommand();
    expect(context.tableName).toBe('Explicit-Ledger');
  });

  it('fails with a message naming the stack and the missing output when the stack lacks it', async () => {
    cloudFormation
      .on(DescribeStacksCommand)
      .resolves(stackWith([{ OutputKey: STACK_OUTPUTS.webhookUrl, OutputValue: 'https://x.on.aws/' }]));

    const attempt = createCliContext({ aws: true }, {});

    await expect(attempt).rejects.toBeInstanceOf(UserInputError);
    await expect(attempt).rejects.toThrow(
      'Stack "Dunning" has no output LedgerTableName; deploy it with "npm run deploy" or set DUNNING_TABLE_NAME.',
    );
  });

  it('works on the local stack without asking CloudFormation by default', async () => {
    context = await createCliContext({}, { DUNNING_DYNAMODB_PORT: '18123' });

    expect(cloudFormation).not.toHaveReceivedAnyCommand();
    expect(context.target).toBe('local');
    expect(context.tableName).toBe('dunning-ledger');
    expect(context.dynamoEndpoint).toEqual({ kind: 'local', url: 'http://127.0.0.1:18123' });
  });
});
