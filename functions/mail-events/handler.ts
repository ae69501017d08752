import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { buildCustomerCare } from '../shared/composition/customer-care.ts';
import { compose } from '../shared/composition/root.ts';
import { lambdaConfigSchema, lambdaSettings, loadConfig } from '../shared/config.ts';
import { MAIL_EVENTS_SERVICE, METRICS_NAMESPACE, mailEventMetric } from '../shared/metric-names.ts';
import { loadPolicy } from '../shared/policy.ts';
import { createMailEventReceiver } from './receive.ts';

// Built once per cold start.
const app = compose(lambdaSettings(loadConfig(lambdaConfigSchema)), loadPolicy(), {
  dynamo: { kind: 'aws' },
  ses: { kind: 'aws' },
});
const logger = new Logger({ serviceName: MAIL_EVENTS_SERVICE });
const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: MAIL_EVENTS_SERVICE });
const receive = createMailEventReceiver({ care: buildCustomerCare(app), logger });

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
