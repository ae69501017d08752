import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  generateWebhookSecret,
  loadWebhookSecrets,
  refuseUnusableWebhookSecrets,
} from '../../cli/local/secrets.ts';

describe('Local webhook secrets', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = join(mkdtempSync(join(tmpdir(), 'dunning-secrets-')), 'data');
  });
  afterEach(() => {
    rmSync(join(dataDir, '..'), { recursive: true, force: true });
  });

  it('generates whsec_ secrets of 32 random bytes', () => {
    const secret = generateWebhookSecret();

    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(secret.slice('whsec_'.length), 'base64')).toHaveLength(32);
    expect(generateWebhookSecret()).not.toBe(secret);
  });

  it('generates both secrets once into secrets.json readable only by the owner, then reuses them', () => {
    const first = loadWebhookSecrets({ DUNNING_DATA_DIR: dataDir });
    const second = loadWebhookSecrets({ DUNNING_DATA_DIR: dataDir });

    expect(first.source).toEqual({ stripe: 'generated', payments: 'generated' });
    expect(second.source).toEqual({ stripe: 'stored', payments: 'stored' });
    expect(second.stripe).toBe(first.stripe);
    expect(second.payments).toBe(first.payments);
    expect(first.stripe).not.toBe(first.payments);
    expect(statSync(first.file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(first.file, 'utf8'))).toEqual({
      stripe: first.stripe,
      payments: first.payments,
      optOut: first.optOut,
      answers: first.answers,
    });
    expect(first.answers).not.toBe(first.optOut);
  });

  it('adds the answer-link key to a secrets file written before answer links existed', () => {
    const old = loadWebhookSecrets({ DUNNING_DATA_DIR: dataDir });
    const { answers: _answers, ...before } = JSON.parse(readFileSync(old.file, 'utf8'));
    writeFileSync(old.file, JSON.stringify(before));

    const upgraded = loadWebhookSecrets({ DUNNING_DATA_DIR: dataDir });

    expect(upgraded.optOut).toBe(old.optOut);
    expect(upgraded.answers).toMatch(/^whsec_/);
    expect(loadWebhookSecrets({ DUNNING_DATA_DIR: dataDir }).answers).toBe(upgraded.answers);
  });

  it('prefers a secret set in the environment over the stored one', () => {
    const stored = loadWebhookSecrets({ DUNNING_DATA_DIR: dataDir });

    const secrets = loadWebhookSecrets({ DUNNING_DATA_DIR: dataDir, STRIPE_WEBHOOK_SECRET: 'whsec_fromenv' });

    expect(secrets.stripe).toBe('whsec_fromenv');
    expect(secrets.source.stripe).toBe('environment');
    expect(secrets.payments).toBe(stored.payments);
  });

  it('refuses to start with a malformed secret in the environment, naming the variable but not the value', () => {
    const stripe = 'sk_live_pasted_the_wrong_key';
    const payments = 'whsec_bm90IGVub3VnaA==';

    const attempt = () =>
      refuseUnusableWebhookSecrets({
        DUNNING_DATA_DIR: dataDir,
        STRIPE_WEBHOOK_SECRET: stripe,
        PAYMENTS_WEBHOOK_SECRET: payments,
      });

    expect(attempt).toThrowError(
      /STRIPE_WEBHOOK_SECRET: is malformed.*PAYMENTS_WEBHOOK_SECRET: is malformed/,
    );
    expect(attempt).not.toThrowError(new RegExp(`${stripe}|${payments}`));
    expect(() =>
      refuseUnusableWebhookSecrets({
        DUNNING_DATA_DIR: dataDir,
        STRIPE_WEBHOOK_SECRET: generateWebhookSecret(),
      }),
    ).not.toThrow();
  });
});
