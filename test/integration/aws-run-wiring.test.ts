import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAwsCliRun } from '../../cli/aws-run.ts';
import { STACK_OUTPUTS } from '../../cli/context.ts';
import { AWS_RUN_OUTPUTS } from '../../cli/stack-outputs.ts';
import { loadConfig, localConfigSchema } from '../../functions/shared/config.ts';
import { startTestStore, type TestStore } from '../support/emulators.ts';
import { customer, invoice, policy, seed } from './run-support.ts';

const PAYMENT_FUNCTION_URL = 'https://pay789.lambda-url.eu-west-1.on.aws/';
const RESPOND_URL = 'https://resp456.lambda-url.eu-west-1.on.aws/';
const outputs: Record<string, string> = {
  [STACK_OUTPUTS.webhookUrl]: PAYMENT_FUNCTION_URL,
  [AWS_RUN_OUTPUTS.runFunctionArn]: 'arn:aws:lambda:eu-west-1:123456789012:function:Dunning-Run',
  [AWS_RUN_OUTPUTS.schedulerRoleArn]: 'arn:aws:iam::123456789012:role/Dunning-SchedulerRole',
  [AWS_RUN_OUTPUTS.scheduleGroupName]: 'Dunning-deferrals',
  [AWS_RUN_OUTPUTS.deferralDlqArn]: 'arn:aws:sqs:eu-west-1:123456789012:Dunning-DLQ',
  [AWS_RUN_OUTPUTS.configurationSetName]: 'Dunning-ConfigurationSet',
  [AWS_RUN_OUTPUTS.optOutSecretArn]: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:OptOut-x1',
  [AWS_RUN_OUTPUTS.respondUrl]: RESPOND_URL,
  [AWS_RUN_OUTPUTS.answerLinkSecretArn]: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:LinkKey-y2',
  [AWS_RUN_OUTPUTS.settings]: JSON.stringify({
    DUNNING_TIME_ZONE: 'Europe/Berlin',
    DUNNING_BUSINESS_HOURS: 'Mon-Fri 08:00-18:00',
    DUNNING_RUN_AT: '07:30',
    DUNNING_FROM: 'Billing <billing@acme.example>',
    DUNNING_PAYMENT_URL: 'https://pay.acme.example/{invoiceId}',
  }),
};

/** `dunning run --aws` builds the run through the composition root, with the deployed run's settings. */
describe('dunning run --aws wiring', () => {
  let store: TestStore;
  const cloudFormation = mockClient(CloudFormationClient);
  const secretsManager = mockClient(SecretsManagerClient);
  beforeAll(async () => {
    store = await startTestStore();
    await seed(store, [customer('acme')], [invoice('INV-AWS-1', 'acme', { dueDate: '2026-03-01' })]);
  });
  afterAll(async () => {
    cloudFormation.restore();
    secretsManager.restore();
    await store?.stop();
  });

  it('previews the email with the stack’s sender, opt-out link and answer link', async () => {
    cloudFormation.on(DescribeStacksCommand).resolves({
      Stacks: [
        {
          StackName: 'Dunning',
          CreationTime: new Date('2026-01-01T00:00:00Z'),
          StackStatus: 'UPDATE_COMPLETE',
          Outputs: Object.entries(outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
        },
      ],
    });
    secretsManager
      .on(GetSecretValueCommand, { SecretId: outputs[AWS_RUN_OUTPUTS.optOutSecretArn] })
      .resolves({ SecretString: 'k'.repeat(64) })
      .on(GetSecretValueCommand, { SecretId: outputs[AWS_RUN_OUTPUTS.answerLinkSecretArn] })
      .resolves({ SecretString: 'a'.repeat(64) });
    const env = { DUNNING_STACK_NAME: 'Dunning' };
    const context = {
      tableName: store.tableName,
      documentClient: store.documentClient,
      policy,
      config: loadConfig(localConfigSchema, { DUNNING_TARGET: 'aws', ...env }),
    };
    const scheduler = new SchedulerClient({ region: 'eu-west-1' });
    const awsRun = await createAwsCliRun(context, env, {
      cloudFormation: () => new CloudFormationClient({ region: 'eu-west-1' }),
      secretsManager: new SecretsManagerClient({ region: 'eu-west-1' }),
      scheduler,
    });
    try {
      // Tuesday 10 March 2026, 13:00 in Berlin: the first stage of an invoice due on 1 March.
      const preview = await awsRun.preview.preview({
        invoiceId: 'INV-AWS-1',
        asOf: new Date('2026-03-10T12:00:00Z'),
      });
      expect(preview.kind).toBe('email');
      if (preview.kind !== 'email') return;
      expect(preview.from).toContain('billing@acme.example');
      expect(preview.email.headers?.['List-Unsubscribe']).toContain(
        `${PAYMENT_FUNCTION_URL.replace(/\/$/, '')}/optout?customer=acme`,
      );
      expect(preview.email.html).toContain(`${RESPOND_URL.replace(/\/$/, '')}/respond?token=`);
    } finally {
      awsRun.close();
      scheduler.destroy();
    }
  });
});
