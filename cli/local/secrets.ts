import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import {
  describeSecretProblem,
  secretProblem,
  type WebhookSecretField,
} from '../../functions/shared/adapters/secrets/secret-format.ts';
import { ConfigError } from '../../functions/shared/errors.ts';

/** The webhook signing secrets of the local stack; in AWS they live in Secrets Manager. */
export interface WebhookSecrets {
  /** Checks `Stripe-Signature` on POST /webhooks/stripe. */
  readonly stripe: string;
  /** Checks the Standard Webhooks signature on POST /webhooks/payments. */
  readonly payments: string;
  /** Signs the reminders' opt-out links and checks them on GET/POST /optout. */
  readonly optOut: string;
  /** Signs the reminders' answer links and checks them on GET/POST /respond. */
  readonly answers: string;
}

export interface LocalWebhookSecrets extends WebhookSecrets {
  /** Where each value came from, so `dunning dev` can say which were generated. */
  readonly source: { readonly stripe: SecretSource; readonly payments: SecretSource };
  readonly file: string;
}

export type SecretSource = 'environment' | 'generated' | 'stored';

export interface SecretSettings {
  readonly DUNNING_DATA_DIR: string;
  readonly STRIPE_WEBHOOK_SECRET?: string | undefined;
  readonly PAYMENTS_WEBHOOK_SECRET?: string | undefined;
  readonly DUNNING_OPT_OUT_SECRET?: string | undefined;
  readonly DUNNING_ANSWER_LINK_SECRET?: string | undefined;
}

const storedSchema = z.object({
  stripe: z.string().min(1),
  payments: z.string().min(1),
  optOut: z.string().min(32).optional(),
  answers: z.string().min(32).optional(),
});

export const SECRETS_FILE = 'secrets.json';

/**
 * A fresh secret in the Standard Webhooks form (`whsec_` + base64 of 32 random bytes), which the
 * `standardwebhooks` library decodes as its key. Stripe's library uses the whole string as its key,
 * so the same form serves both.
 */
export const generateWebhookSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;

const readStored = (file: string): z.infer<typeof storedSchema> | undefined => {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return storedSchema.parse(JSON.parse(text));
  } catch {
    throw new ConfigError(`${file} is not a valid secrets file; delete it to have new secrets generated.`);
  }
};

/**
 * A secrets file from before opt-out or answer links were signed gets the missing keys added (written
 * aside and renamed over, so a reader never sees half a file); a racing process's keys are read back.
 */
const addLinkSecrets = (file: string, stored: z.infer<typeof storedSchema>) => {
  const aside = `${file}.${process.pid}.tmp`;
  const completed = {
    ...stored,
    optOut: stored.optOut ?? generateWebhookSecret(),
    answers: stored.answers ?? generateWebhookSecret(),
  };
  writeFileSync(aside, `${JSON.stringify(completed, null, 2)}\n`, {
    mode: 0o600,
  });
  renameSync(aside, file);
  return readStored(file) ?? stored;
};

const VARIABLES: Record<WebhookSecretField, 'STRIPE_WEBHOOK_SECRET' | 'PAYMENTS_WEBHOOK_SECRET'> = {
  stripe: 'STRIPE_WEBHOOK_SECRET',
  payments: 'PAYMENTS_WEBHOOK_SECRET',
};

/**
 * A set variable that cannot verify anything stops `dunning dev` at once, naming the variable: a
 * mistyped secret would otherwise surface only as every webhook answered 503.
 */
export const refuseUnusableWebhookSecrets = (settings: SecretSettings): void => {
  const problems = (Object.keys(VARIABLES) as WebhookSecretField[]).flatMap((field) => {
    const value = settings[VARIABLES[field]];
    const problem = value === undefined ? undefined : secretProblem(field, value);
    return problem ? [describeSecretProblem(VARIABLES[field], field, problem)] : [];
  });
  if (problems.length) throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
};

/**
 * The local webhook secrets: a variable that is set wins; otherwise the value kept in
 * `<data dir>/secrets.json`, generated (mode 0600) the first time. Safe to call from any process:
 * the file is written only if absent, and a racing writer's file is read back.
 */
export const loadWebhookSecrets = (settings: SecretSettings): LocalWebhookSecrets => {
  const file = join(settings.DUNNING_DATA_DIR, SECRETS_FILE);
  let stored = readStored(file);
  let generated = false;
  if (!stored) {
    mkdirSync(settings.DUNNING_DATA_DIR, { recursive: true });
    const fresh = {
      stripe: generateWebhookSecret(),
      payments: generateWebhookSecret(),
      optOut: generateWebhookSecret(),
      answers: generateWebhookSecret(),
    };
    try {
      writeFileSync(file, `${JSON.stringify(fresh, null, 2)}\n`, { flag: 'wx', mode: 0o600 });
      stored = fresh;
      generated = true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      stored = readStored(file) ?? fresh;
    }
  }
  if (!stored.optOut || !stored.answers) stored = addLinkSecrets(file, stored);
  const storedSource: SecretSource = generated ? 'generated' : 'stored';
  return {
    stripe: settings.STRIPE_WEBHOOK_SECRET ?? stored.stripe,
    payments: settings.PAYMENTS_WEBHOOK_SECRET ?? stored.payments,
    optOut: settings.DUNNING_OPT_OUT_SECRET ?? stored.optOut ?? generateWebhookSecret(),
    answers: settings.DUNNING_ANSWER_LINK_SECRET ?? stored.answers ?? generateWebhookSecret(),
    source: {
      stripe: settings.STRIPE_WEBHOOK_SECRET ? 'environment' : storedSource,
      payments: settings.PAYMENTS_WEBHOOK_SECRET ? 'environment' : storedSource,
    },
    file,
  };
};
