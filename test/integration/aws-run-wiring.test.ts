import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAwsCliRun } from '../../cli/aws-run.ts';
import { STACK_OUTPUTS } from '../../cli/context.ts';
import { AWS_RUN_OUTPUTS } from '../../cli/stack-outputs.ts';
import { loadConfig, localConfigSchema } from '../../functions/shared/config.ts';
import { answerAsDeployedStack, DEPLOYED_OUTPUTS } from '../support/deployed-stack.ts';
import { startTestStore, type TestStore } from '../support/emulators.ts';
import { customer, invoice, policy, seed } from './run-support.ts';

// The test store's table, not the deployed one, holds the customer previewed here.
const { [STACK_OUTPUTS.tableName]: _deployedTable, ...outputs } = DEPLOYED_OUTPUTS;
const PAYMENT_FUNCTION_URL = outputs[STACK_OUTPUTS.webhookUrl] as string;
const RESPOND_URL = outputs[AWS_RUN_OUTPUTS.respondUrl] as string;

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
    answerAsDeployedStack(cloudFormation, secretsManager, outputs);
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
