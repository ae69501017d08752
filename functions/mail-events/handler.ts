import { Logger } from '@aws-lambda-powertools/logger';
import { createDocumentClient } from '../shared/adapters/dynamodb/client.ts';
import { DynamoCustomerCare } from '../shared/adapters/dynamodb/customer-care-store.ts';
import { lambdaConfigSchema, loadConfig } from '../shared/config.ts';
import { loadPolicy } from '../shared/policy.ts';
import { createMailEventReceiver } from './receive.ts';

// Built once per cold start.
const config = loadConfig(lambdaConfigSchema);
const logger = new Logger({ serviceName: 'dunning-mail-events' });

/** SES bounce and complaint events from the EventBridge rule: marks the customer, keeps the record. */
export const handler = createMailEventReceiver({
  care: new DynamoCustomerCare({
    client: createDocumentClient({ kind: 'aws' }),
    tableName: config.DUNNING_TABLE_NAME,
    policy: loadPolicy(),
    defaultTimeZone: config.DUNNING_TIME_ZONE,
  }),
  logger,
});
