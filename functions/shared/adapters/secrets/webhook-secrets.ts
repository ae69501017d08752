import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ConfigError } from '../../errors.ts';
import { awsClientOptions } from '../endpoints.ts';

/**
 * The two endpoint secrets as stored: Stripe's `whsec_...` and the Standard Webhooks `whsec_` + base64
 * key. A value may be empty or the deployed placeholder; `secretProblem` says whether it can be used.
 */
export interface WebhookSecrets {
  readonly stripe: string;
  readonly payments: string;
}
export type { WebhookSecretField } from './secret-format.ts';

/** Resolves the current secrets; cached by the source, so calling it per request is cheap. */
export type WebhookSecretSource = () => Promise<WebhookSecrets>;

/** Rotated secrets reach a warm function within this time; every other request is served from memory. */
export const SECRET_MAX_AGE_SECONDS = 300;

const text = (value: unknown) => (typeof value === 'string' ? value : '');

/**
 * In AWS: one Secrets Manager secret (`DUNNING_WEBHOOK_SECRETS_ARN`) holding `{"stripe", "payments"}`,
 * read on first use after a cold start and cached by Powertools parameters. Each field is handed over as
 * stored: a missing, placeholder or malformed one makes only its own route answer 503, so a deployment
 * that uses Stripe alone keeps working. A secret that is not a JSON object is a deployment error.
 */
export const webhookSecretsFromSecretsManager = (
  secretArn: string,
  options: { readonly client?: SecretsManagerClient; readonly maxAgeSeconds?: number } = {},
): WebhookSecretSource => {
  const provider = new SecretsProvider(
    options.client ? { awsSdkV3Client: options.client } : { clientConfig: awsClientOptions() },
  );
  return async () => {
    let value: unknown;
    try {
      value = await provider.get(secretArn, {
        maxAge: options.maxAgeSeconds ?? SECRET_MAX_AGE_SECONDS,
        transform: 'json',
      });
    } catch (error) {
      if ((error as Error).name === 'TransformParameterError')
        throw new ConfigError(`Webhook secret ${secretArn} is not JSON: expected {"stripe", "payments"}`);
      throw error;
    }
    if (!value || typeof value !== 'object' || Array.isArray(value))
      throw new ConfigError(
        `Webhook secret ${secretArn} is not a JSON object: expected {"stripe", "payments"}`,
      );
    const fields = value as Record<string, unknown>;
    return { stripe: text(fields.stripe), payments: text(fields.payments) };
  };
};
