import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { optOutSecretFromSecretsManager } from '../shared/adapters/secrets/opt-out-secret.ts';
import { webhookSecretsFromSecretsManager } from '../shared/adapters/secrets/webhook-secrets.ts';
import { buildCustomerCare } from '../shared/composition/customer-care.ts';
import { buildPaymentRecorder } from '../shared/composition/payments.ts';
import { compose } from '../shared/composition/root.ts';
import { lambdaConfigSchema, lambdaSettings, loadConfig, requiredSetting } from '../shared/config.ts';
import { loadPolicy } from '../shared/policy.ts';
import { createPaymentHandler } from './create-handler.ts';
import { outcomeObserver } from './observability.ts';
import { createOptOutReceiver } from './opt-out.ts';
import { createWebhookReceiver } from './receive-webhook.ts';

// Built once per cold start; every invocation reuses the clients, the policy and the cached secrets.
const config = loadConfig(lambdaConfigSchema);
const webhookSecretsArn = requiredSetting(config, 'DUNNING_WEBHOOK_SECRETS_ARN', 'the payment function');
const app = compose(lambdaSettings(config), loadPolicy(), { dynamo: { kind: 'aws' }, ses: { kind: 'aws' } });

const logger = new Logger({ serviceName: 'dunning-payments' });
const metrics = new Metrics({ namespace: 'Dunning', serviceName: 'dunning-payments' });
const observe = outcomeObserver(logger, (outcome) =>
  metrics.addMetric(`webhook_${outcome}`, MetricUnit.Count, 1),
);
const recorder = buildPaymentRecorder(app, observe);

export const handler = createPaymentHandler({
  receive: createWebhookReceiver({
    secrets: webhookSecretsFromSecretsManager(webhookSecretsArn),
    record: (event) => recorder.record(event),
    observe,
    logger,
  }),
  ...(config.DUNNING_OPT_OUT_SECRET_ARN
    ? {
        optOut: createOptOutReceiver({
          secret: optOutSecretFromSecretsManager(config.DUNNING_OPT_OUT_SECRET_ARN),
          companyName: app.policy.company.name,
          care: buildCustomerCare(app),
          logger,
        }),
      }
    : {}),
  // A rejected request records no metric; publishing an empty buffer would only log a warning.
  flush: () => {
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
  },
});
