import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  secretProblem,
  WEBHOOK_SECRET_PLACEHOLDER,
} from '../../functions/shared/adapters/secrets/secret-format.ts';
import { webhookSecretsFromSecretsManager } from '../../functions/shared/adapters/secrets/webhook-secrets.ts';
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

  it('hands each field over as stored, so a placeholder or malformed one stops only its own route', async () => {
    secretsManager.on(GetSecretValueCommand).resolves({
      SecretString: JSON.stringify({ stripe: WEBHOOK_SECRET_PLACEHOLDER, payments: 'not-prefixed-value' }),
    });
    const source = webhookSecretsFromSecretsManager(ARN, {
      client: new SecretsManagerClient({ region: 'eu-west-1' }),
    });

    const secrets = await source();

    expect(secrets).toEqual({ stripe: WEBHOOK_SECRET_PLACEHOLDER, payments: 'not-prefixed-value' });
    expect(secretProblem('stripe', secrets.stripe)).toBe('placeholder');
    expect(secretProblem('payments', secrets.payments)).toBe('malformed');
  });

  it('reads a missing field as missing and refuses a secret that is not a JSON object', async () => {
    secretsManager
      .on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: JSON.stringify({ stripe: 'whsec_abcdefghijklmnopqrstuvwx' }) })
      .resolvesOnce({ SecretString: 'whsec_not_json' });
    const client = new SecretsManagerClient({ region: 'eu-west-1' });

    const partial = await webhookSecretsFromSecretsManager(ARN, { client })();
    const failure = await webhookSecretsFromSecretsManager(`${ARN}2`, { client })().catch((error) => error);

    expect(partial).toEqual({ stripe: 'whsec_abcdefghijklmnopqrstuvwx', payments: '' });
    expect(secretProblem('payments', partial.payments)).toBe('missing');
    expect(failure).toBeInstanceOf(ConfigError);
    expect((failure as Error).message).not.toContain('whsec_not_json');
  });
});

describe('Which webhook secrets can verify anything', () => {
  it.each([
    ['stripe', 'whsec_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6', undefined],
    ['stripe', `whsec_${'0f'.repeat(32)}`, undefined],
    ['stripe', `whsec_${Buffer.alloc(32, 7).toString('base64')}`, undefined],
    ['stripe', '', 'missing'],
    ['stripe', WEBHOOK_SECRET_PLACEHOLDER, 'placeholder'],
    ['stripe', 'sk_test_abcdefghijklmnopqrstuvwxyz', 'malformed'],
    ['stripe', 'whsec_short', 'malformed'],
    ['stripe', 'whsec_has spaces in it and more', 'malformed'],
    ['payments', `whsec_${Buffer.alloc(32, 1).toString('base64')}`, undefined],
    ['payments', `whsec_${Buffer.alloc(24, 1).toString('base64')}`, undefined],
    ['payments', `whsec_${Buffer.alloc(16, 1).toString('base64')}`, 'malformed'],
    ['payments', `whsec_${Buffer.alloc(65, 1).toString('base64')}`, 'malformed'],
    ['payments', 'whsec_not*base64*at*all*but*long*enough', 'malformed'],
    ['payments', Buffer.alloc(32, 1).toString('base64'), 'malformed'],
    ['payments', undefined, 'missing'],
    ['payments', WEBHOOK_SECRET_PLACEHOLDER, 'placeholder'],
  ] as const)('%s %j is %s', (field, value, problem) => {
    expect(secretProblem(field, value)).toBe(problem);
  });
});
