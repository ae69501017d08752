import { Logger } from '@aws-lambda-powertools/logger';
import { createDocumentClient } from '../shared/adapters/dynamodb/client.ts';
import { signingKeyFromSecretsManager } from '../shared/adapters/secrets/opt-out-secret.ts';
import { createSendingClient } from '../shared/adapters/ses/client.ts';
import { SesMailer } from '../shared/adapters/ses/mailer.ts';
import { lambdaConfigSchema, loadConfig } from '../shared/config.ts';
import { ConfigError } from '../shared/errors.ts';
import { loadPolicy } from '../shared/policy.ts';
import { createRespond } from './compose.ts';
import { createRespondHandler } from './function-url.ts';

// Built once per cold start; every invocation reuses the clients, the policy and the cached key.
const config = loadConfig(lambdaConfigSchema);
if (!config.DUNNING_ANSWER_LINK_SECRET_ARN)
  throw new ConfigError('DUNNING_ANSWER_LINK_SECRET_ARN: is required by the respond function');

const policy = loadPolicy();
export const handler = createRespondHandler(
  createRespond({
    documentClient: createDocumentClient({ kind: 'aws' }),
    tableName: config.DUNNING_TABLE_NAME,
    // No SDK retries on sending, as for reminders: a confirmation whose send is unknown never goes twice.
    mailer: new SesMailer(createSendingClient({ kind: 'aws' }), {
      from: config.DUNNING_FROM,
      ...(config.DUNNING_CONFIGURATION_SET ? { configurationSetName: config.DUNNING_CONFIGURATION_SET } : {}),
    }),
    policy,
    linkKey: signingKeyFromSecretsManager(config.DUNNING_ANSWER_LINK_SECRET_ARN, 'Answer-link secret'),
    paymentUrlTemplate: config.DUNNING_PAYMENT_URL,
    defaultTimeZone: config.DUNNING_TIME_ZONE,
    logger: new Logger({ serviceName: 'dunning-respond' }),
  }),
  policy,
);
