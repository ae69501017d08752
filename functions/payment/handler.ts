import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { createDocumentClient } from '../shared/adapters/dynamodb/client.ts';
import { DynamoCustomerCare } from '../shared/adapters/dynamodb/customer-care-store.ts';
import { createPaymentRecorder } from '../shared/adapters/dynamodb/payment-recorder.ts';
import { optOutSecretFromSecretsManager } from '../shared/adapters/secrets/opt-out-secret.ts';
import { webhookSecretsFromSecretsManager } from '../shared/adapters/secrets/webhook-secrets.ts';
import { lambdaConfigSchema, loadConfig } from '../shared/config.ts';
import { ConfigError } from '../shared/errors.ts';
import { loadPolicy } from '../shared/policy.ts';
import { createPaymentHandler } from './create-handler.ts';
import { outcomeObserver } from './observability.ts';
import { createOptOutReceiver } from './opt-out.ts';
import { createWebhookReceiver } from './receive-webhook.ts';

// Built once per cold start; every invocation reuses the clients, the policy and the cached secrets.
const config = loadConfig(lambdaConfigSchema);
if (!config.DUNNING_WEBHOOK_SECRETS_ARN)
  throw new ConfigError('DUNNING_WEBHOOK_SECRETS_ARN: is required by the payment function');

const logger = new Logger({ serviceName: 'dunning-payments' });
const metrics = new Metrics({ namespace: 'Dunning', serviceName: 'dunning-payments' });
const observe = outcomeObserver(logger, (outcome) =>
  metrics.addMetric(`webhook_${outcome}`, MetricUnit.Count, 1),
);
const documentClient = createDocumentClient({ kind: 'aws' });
const recorder = createPaymentRecorder({
  documentClient,
  tableName: config.DUNNING_TABLE_NAME,
  policy: loadPolicy(),
  defaultTimeZone: config.DUNNING_TIME_ZONE,
  observe,
});

export const handler = createPaymentHandler({
  receive: createWebhookReceiver({
    secrets: webhookSecretsFromSecretsManager(config.DUNNING_WEBHOOK_SECRETS_ARN),
    record: (event) => recorder.record(event),
    observe,
    logger,
  }),
  ...(config.DUNNING_OPT_OUT_SECRET_ARN
    ? {
        optOut: createOptOutReceiver({
          secret: optOutSecretFromSecretsManager(config.DUNNING_OPT_OUT_SECRET_ARN),
          companyName: loadPolicy().company.name,
          care: new DynamoCustomerCare({
            client: documentClient,
            tableName: config.DUNNING_TABLE_NAME,
            policy: loadPolicy(),
            defaultTimeZone: config.DUNNING_TIME_ZONE,
          }),
          logger,
        }),
      }
    : {}),
  // A rejected request records no metric; publishing an empty buffer would only log a warning.
  flush: () => {
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  },
});
