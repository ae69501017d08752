import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ConfigError } from '../../errors.ts';
import { awsClientOptions } from '../endpoints.ts';
import { SECRET_MAX_AGE_SECONDS } from './webhook-secrets.ts';

/** Resolves the key opt-out links are signed with; cached by the source. */
export type OptOutSecretSource = () => Promise<string>;

/** Shorter keys would make the links' HMAC guessable in principle; CDK generates 64 characters. */
const MIN_SECRET_LENGTH = 32;

/**
 * In AWS: its own Secrets Manager secret (`DUNNING_OPT_OUT_SECRET_ARN`), generated at deploy and
 * never rotated (rotating it would break the opt-out link in every reminder already sent). The run
 * signs links with it, the payment function checks them.
 */
export const optOutSecretFromSecretsManager = (
  secretArn: string,
  options: SigningKeyOptions = {},
): OptOutSecretSource => signingKeyFromSecretsManager(secretArn, 'Opt-out secret', options);

export interface SigningKeyOptions {
  readonly client?: SecretsManagerClient;
  readonly maxAgeSeconds?: number;
}

/** A link-signing key (opt-out, answer links) from its own secret; `what` names it in the error. */
export const signingKeyFromSecretsManager = (
  secretArn: string,
  what: string,
  options: SigningKeyOptions = {},
): (() => Promise<string>) => {
  const provider = new SecretsProvider(
    options.client ? { awsSdkV3Client: options.client } : { clientConfig: awsClientOptions() },
  );
  return async () => {
    const value = await provider.get(secretArn, { maxAge: options.maxAgeSeconds ?? SECRET_MAX_AGE_SECONDS });
    if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH)
      throw new ConfigError(
        `${what} ${secretArn} is malformed: expected at least ${MIN_SECRET_LENGTH} characters`,
      );
    return value;
  };
};
