import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { createLocalRun } from '../functions/run/local.ts';
import { awsClientOptions } from '../functions/shared/adapters/endpoints.ts';
import type { CliContext } from './context.ts';
import { loadWebhookSecrets } from './local/secrets.ts';

/**
 * The run `dunning run` and `dunning preview` work with, so a preview shows what that run sends:
 * with --aws the run function's own code configured from the stack's outputs (cli/aws-run.ts), else
 * the local stack's run with its local keys.
 */
export const openRun = async (context: CliContext) =>
  context.target === 'aws'
    ? (await import('./aws-run.ts')).createAwsCliRun(context, process.env, {
        cloudFormation: () => new CloudFormationClient(awsClientOptions()),
      })
    : createLocalRun(context, loadWebhookSecrets(context.config));
