import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadWebhookSecrets } from '../../cli/local/secrets.ts';
import { optOutSecretFromSecretsManager } from '../../functions/shared/adapters/secrets/opt-out-secret.ts';

describe('Local opt-out secret', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'dunning-optout-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('is added once to a secrets file written before links were signed, keeping the webhook secrets', () => {
    const file = join(dataDir, 'secrets.json');
    writeFileSync(file, JSON.stringify({ stripe: 'whsec_a', payments: 'whsec_b' }), { mode: 0o600 });

    const first = loadWebhookSecrets({ DUNNING_DATA_DIR: dataDir });
    const second = loadWebhookSecrets({ DUNNING_DATA_DIR: dataDir });

    expect(first.optOut.length).toBeGreaterThanOrEqual(32);
    expect(second.optOut).toBe(first.optOut);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      stripe: 'whsec_a',
      payments: 'whsec_b',
      optOut: first.optOut,
      answers: first.answers,
    });
  });

  it('comes from DUNNING_OPT_OUT_SECRET when it is set', () => {
    const secret = 'an-operator-chosen-secret-of-32-chars-or-more';

    expect(loadWebhookSecrets({ DUNNING_DATA_DIR: dataDir, DUNNING_OPT_OUT_SECRET: secret }).optOut).toBe(
      secret,
    );
  });
});

describe('Opt-out secret in Secrets Manager', () => {
  const secretsManager = mockClient(SecretsManagerClient);
  const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:DunningOptOut-AbCdEf';
  afterEach(() => secretsManager.reset());

  it('reads the generated string once and serves it from the cache', async () => {
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: 'x'.repeat(64) });
    const source = optOutSecretFromSecretsManager(arn, { client: new SecretsManagerClient({}) });

    expect(await source()).toBe('x'.repeat(64));
    expect(await source()).toBe('x'.repeat(64));
    expect(secretsManager).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);
    expect(secretsManager).toHaveReceivedCommandWith(GetSecretValueCommand, { SecretId: arn });
  });

  it('refuses a value too short to sign with, naming the secret but not the value', async () => {
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: 'short' });
    const source = optOutSecretFromSecretsManager(arn, { client: new SecretsManagerClient({}) });

    await expect(source()).rejects.toThrow(`Opt-out secret ${arn} is malformed`);
    await expect(source()).rejects.not.toThrow(/short/);
  });
});
