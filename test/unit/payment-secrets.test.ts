import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  webhookSecretsFromEnv,
  webhookSecretsFromSecretsManager,
} from '../../functions/shared/adapters/secrets/webhook-secrets.ts';
import { ConfigError } from '../../functions/shared/errors.ts';

const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:dunning/webhooks-AbCdEf';
const secretsManager = mockClient(SecretsManagerClient);

describe('Webhook secrets from Secrets Manager', () => {
  beforeEach(() => secretsManager.reset());

  it('reads the secret once and serves later requests from the cache', async () => {
    secretsManager
      .on(GetSecretValueCommand)
      .resolves({ SecretString: JSON.stringify({ stripe: 'whsec_stripe', payments: 'whsec_c2VjcmV0' }) });
    const source = webhookSecretsFromSecretsManager(ARN, {
      client: new SecretsManagerClient({ region: 'eu-west-1' }),
    });

    const first = await source();
    const second = await source();

    expect(first).toEqual({ stripe: 'whsec_stripe', payments: 'whsec_c2VjcmV0' });
    expect(second).toEqual(first);
    expect(secretsManager).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);
    expect(secretsManager).toHaveReceivedCommandWith(GetSecretValueCommand, { SecretId: ARN });
  });

  it('names the malformed field of the secret, never its value', async () => {
    secretsManager.on(GetSecretValueCommand).resolves({
      SecretString: JSON.stringify({ stripe: 'whsec_visible', payments: 'not-prefixed-value' }),
    });
    const source = webhookSecretsFromSecretsManager(ARN, {
      client: new SecretsManagerClient({ region: 'eu-west-1' }),
    });

    const failure = await source().catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ConfigError);
    expect((failure as Error).message).toContain('payments');
    expect((failure as Error).message).not.toContain('not-prefixed-value');
    expect((failure as Error).message).not.toContain('whsec_visible');
  });
});

describe('Webhook secrets from the environment', () => {
  it('names every missing variable', () => {
    expect(() => webhookSecretsFromEnv({})).toThrow(
      new ConfigError('Webhook secrets missing: set STRIPE_WEBHOOK_SECRET and PAYMENTS_WEBHOOK_SECRET.'),
    );
  });

  it('serves the configured secrets', async () => {
    const source = webhookSecretsFromEnv({
      STRIPE_WEBHOOK_SECRET: 'whsec_a',
      PAYMENTS_WEBHOOK_SECRET: 'whsec_Yg==',
    });

    expect(await source()).toEqual({ stripe: 'whsec_a', payments: 'whsec_Yg==' });
  });
});
