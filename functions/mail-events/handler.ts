import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { createDocumentClient } from '../shared/adapters/dynamodb/client.ts';
import { DynamoCustomerCare } from '../shared/adapters/dynamodb/customer-care-store.ts';
import { lambdaConfigSchema, loadConfig } from '../shared/config.ts';
import { MAIL_EVENTS_SERVICE, METRICS_NAMESPACE, mailEventMetric } from '../shared/metric-names.ts';
import { loadPolicy } from '../shared/policy.ts';
import { createMailEventReceiver } from './receive.ts';

// Built once per cold start.
const config = loadConfig(lambdaConfigSchema);
const logger = new Logger({ serviceName: MAIL_EVENTS_SERVICE });

const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: MAIL_EVENTS_SERVICE });

const receive = createMailEventReceiver({
  care: new DynamoCustomerCare({
    client: createDocumentClient({ kind: 'aws' }),
    tableName: config.DUNNING_TABLE_NAME,
    policy: loadPolicy(),
    defaultTimeZone: config.DUNNING_TIME_ZONE,
  }),
  logger,
});

/** SES bounce and complaint events from the EventBridge rule: marks the customer, keeps the record. */
export const handler = async (event: unknown) => {
  const result = await receive(event);
  if (result.accepted)
    for (const { action } of result.recipients)
      metrics.addMetric(mailEventMetric(action), MetricUnit.Count, 1);
  else metrics.addMetric(mailEventMetric('refused'), MetricUnit.Count, 1);
  metrics.publishStoredMetrics();
  return result;
};
