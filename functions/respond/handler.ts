import { Logger } from '@aws-lambda-powertools/logger';
import { signingKeyFromSecretsManager } from '../shared/adapters/secrets/opt-out-secret.ts';
import { buildRespond } from '../shared/composition/respond.ts';
import { compose } from '../shared/composition/root.ts';
import { lambdaConfigSchema, lambdaSettings, loadConfig, requiredSetting } from '../shared/config.ts';
import { loadPolicy } from '../shared/policy.ts';
import { createRespondHandler } from './function-url.ts';

// Built once per cold start; every invocation reuses the clients, the policy and the cached key.
const config = loadConfig(lambdaConfigSchema);
const linkKeyArn = requiredSetting(config, 'DUNNING_ANSWER_LINK_SECRET_ARN', 'the respond function');
const app = compose(lambdaSettings(config), loadPolicy(), { dynamo: { kind: 'aws' }, ses: { kind: 'aws' } });

export const handler = createRespondHandler(
  buildRespond(app, {
    linkKey: signingKeyFromSecretsManager(linkKeyArn, 'Answer-link secret'),
    logger: new Logger({ serviceName: 'dunning-respond' }),
  }),
  app.policy,
);
