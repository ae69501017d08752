import { type BusinessHours, parseBusinessHours } from './domain/business-hours.ts';
import { ConfigError } from './errors.ts';
import * as z from './validation.ts';

const port = (fallback: number) =>
  z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(65_535)), fallback);

const timeZone = z.string().check(
  z.refine(
    (zone) => {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: zone });
        return true;
      } catch {
        return false;
      }
    },
    { message: 'expected an IANA time zone such as "Europe/Berlin"' },
  ),
);

const businessHours = z.pipe(
  z.string(),
  z.transform((text: string, ctx): BusinessHours => {
    try {
      return parseBusinessHours(text);
    } catch (error) {
      ctx.issues.push({ code: 'custom', message: (error as Error).message, input: text });
      return z.NEVER;
    }
  }),
);

const clockTime = z
  .string()
  .check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time of day like "08:00"'));

const paymentUrlTemplate = z.url({ message: 'expected an http(s) URL' }).check(
  z.refine((url) => url.includes('{invoiceId}'), {
    message: 'expected the placeholder {invoiceId} in the URL',
  }),
);

const text = (minimum: number) => z.string().check(z.minLength(minimum));
const arn = z.optional(z.string().check(z.startsWith('arn:')));

/** Settings every host (CLI, local server, Lambdas) shares. */
const dunningSettings = {
  DUNNING_TIME_ZONE: z._default(timeZone, 'UTC'),
  DUNNING_BUSINESS_HOURS: z._default(businessHours, parseBusinessHours('Mon-Fri 09:00-17:00')),
  DUNNING_RUN_AT: z._default(clockTime, '08:00'),
  DUNNING_FROM: z._default(text(3), 'Accounts Receivable <billing@dunning.local>'),
  DUNNING_PAYMENT_URL: z._default(paymentUrlTemplate, 'https://pay.example.com/invoices/{invoiceId}'),
};

export const localConfigSchema = z.object({
  ...dunningSettings,
  DUNNING_TARGET: z._default(z.enum(['local', 'aws']), 'local'),
  DUNNING_DYNAMODB_PORT: port(8000),
  DUNNING_SES_PORT: port(8005),
  DUNNING_HTTP_PORT: port(3000),
  DUNNING_DATA_DIR: z._default(text(1), '.dunning'),
  /** `off` starts `dunning dev` on an empty store, without seeding the demo portfolio. */
  DUNNING_DEMO: z._default(z.enum(['on', 'off']), 'on'),
  DUNNING_TABLE_NAME: z.optional(text(3)),
  DUNNING_STACK_NAME: z._default(text(1), 'Dunning'),
  STRIPE_WEBHOOK_SECRET: z.optional(text(1)),
  PAYMENTS_WEBHOOK_SECRET: z.optional(text(1)),
  /** Signs the opt-out links; locally generated into the data dir when unset. */
  DUNNING_OPT_OUT_SECRET: z.optional(text(32)),
  /** Signs the answer links (`/respond`); locally generated into the data dir when unset. */
  DUNNING_ANSWER_LINK_SECRET: z.optional(text(32)),
});
export type LocalConfig = z.infer<typeof localConfigSchema>;

/** What CDK hands every Lambda; absent values are deployment bugs, so they fail the cold start. */
export const lambdaConfigSchema = z.object({
  ...dunningSettings,
  DUNNING_TABLE_NAME: text(3),
  DUNNING_CONFIGURATION_SET: z.optional(text(1)),
  DUNNING_WEBHOOK_SECRETS_ARN: arn,
  /** The key opt-out links are signed with (run) and checked with (payment function). */
  DUNNING_OPT_OUT_SECRET_ARN: arn,
  /** The key answer links are signed with (run) and checked with (respond function). */
  DUNNING_ANSWER_LINK_SECRET_ARN: arn,
  /** Public base URL of the respond function (the reminders' answer links). */
  DUNNING_RESPOND_URL: z.optional(z.url()),
  DUNNING_RUN_FUNCTION_ARN: arn,
  DUNNING_SCHEDULER_ROLE_ARN: arn,
  DUNNING_SCHEDULE_GROUP: z.optional(text(1)),
  DUNNING_DEFERRAL_DLQ_ARN: arn,
  /** Where the run Lambda's bundle carries templates/ (copied in at bundling). */
  DUNNING_TEMPLATES_DIR: z.optional(text(1)),
  /** Public base URL of the payment function (opt-out links). */
  DUNNING_PUBLIC_URL: z.optional(z.url()),
});
export type LambdaConfig = z.infer<typeof lambdaConfigSchema>;

/**
 * Reads the environment once through a schema; the error names every bad variable and what was
 * expected, never its value (a secret may be among them).
 */
export const loadConfig = <Schema extends z.ZodMiniType>(
  schema: Schema,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<Schema> => {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const variable = issue.path.join('.') || '(environment)';
    const reason = issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue.message;
    return `${variable}: ${reason}`;
  });
  throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
};

/**
 * The settings the composition builds every use case from (functions/shared/composition.ts), in the
 * use cases' words: the one mapping from the validated environment, for the Lambdas and the CLI alike.
 */
export interface Settings {
  readonly tableName: string;
  readonly deploymentTimeZone: string;
  readonly businessHours: BusinessHours;
  readonly paymentUrlTemplate: string;
  readonly from: string;
  readonly configurationSetName?: string;
  /** Base of the one-click opt-out link: the payment function's URL, or the local HTTP server. */
  readonly publicUrl?: string;
  /** Base of the answer link: the respond function's URL in AWS; the local HTTP server otherwise. */
  readonly respondUrl?: string;
  readonly templatesDir?: string;
}

type SharedConfig = Pick<
  LambdaConfig,
  'DUNNING_TIME_ZONE' | 'DUNNING_BUSINESS_HOURS' | 'DUNNING_PAYMENT_URL' | 'DUNNING_FROM'
>;

const sharedSettings = (config: SharedConfig) => ({
  deploymentTimeZone: config.DUNNING_TIME_ZONE,
  businessHours: config.DUNNING_BUSINESS_HOURS,
  paymentUrlTemplate: config.DUNNING_PAYMENT_URL,
  from: config.DUNNING_FROM,
});

/** A Lambda's settings, from what CDK set in its environment. */
export const lambdaSettings = (config: LambdaConfig): Settings => ({
  tableName: config.DUNNING_TABLE_NAME,
  ...sharedSettings(config),
  ...(config.DUNNING_CONFIGURATION_SET ? { configurationSetName: config.DUNNING_CONFIGURATION_SET } : {}),
  ...(config.DUNNING_PUBLIC_URL ? { publicUrl: config.DUNNING_PUBLIC_URL } : {}),
  ...(config.DUNNING_RESPOND_URL ? { respondUrl: config.DUNNING_RESPOND_URL } : {}),
  ...(config.DUNNING_TEMPLATES_DIR ? { templatesDir: config.DUNNING_TEMPLATES_DIR } : {}),
});

/** The local stack's settings: links point at the local HTTP server, which also serves /respond. */
export const localSettings = (config: LocalConfig, tableName: string): Settings => ({
  tableName,
  ...sharedSettings(config),
  publicUrl: `http://127.0.0.1:${config.DUNNING_HTTP_PORT}`,
});

/**
 * A CLI command's settings: the local stack's, or with `--aws` the deployment's store without local
 * links (`dunning run --aws` takes its links from the stack's outputs).
 */
export const cliSettings = (config: LocalConfig, tableName: string, target: 'local' | 'aws'): Settings =>
  target === 'local' ? localSettings(config, tableName) : { tableName, ...sharedSettings(config) };

/**
 * A variable that is optional in the shared schema but that one function cannot do without: a
 * deployment bug, so it fails the cold start naming the variable.
 */
export const requiredSetting = <Config extends object>(
  config: Config,
  name: keyof Config & string,
  by: string,
): string => {
  const value = config[name];
  if (typeof value !== 'string' || value === '') throw new ConfigError(`${name}: is required by ${by}`);
  return value;
};

/** What the run function needs beyond the shared settings: its scheduler and its link keys. */
export interface RunFunctionSettings {
  /** The function the schedules invoke; unset, the invoked function's own unqualified ARN. */
  readonly runFunctionArn?: string;
  readonly schedulerRoleArn: string;
  readonly deferralDeadLetterArn: string;
  readonly scheduleGroup?: string;
  readonly optOutSecretArn?: string;
  readonly answerLinkSecretArn?: string;
}

/** The run function's own settings; one it cannot run without fails the cold start naming it. */
export const runFunctionSettings = (config: LambdaConfig): RunFunctionSettings => {
  const by = 'the run function';
  requiredSetting(config, 'DUNNING_PUBLIC_URL', by);
  return {
    schedulerRoleArn: requiredSetting(config, 'DUNNING_SCHEDULER_ROLE_ARN', by),
    deferralDeadLetterArn: requiredSetting(config, 'DUNNING_DEFERRAL_DLQ_ARN', by),
    ...(config.DUNNING_RUN_FUNCTION_ARN ? { runFunctionArn: config.DUNNING_RUN_FUNCTION_ARN } : {}),
    ...(config.DUNNING_SCHEDULE_GROUP ? { scheduleGroup: config.DUNNING_SCHEDULE_GROUP } : {}),
    ...(config.DUNNING_OPT_OUT_SECRET_ARN ? { optOutSecretArn: config.DUNNING_OPT_OUT_SECRET_ARN } : {}),
    ...(config.DUNNING_ANSWER_LINK_SECRET_ARN
      ? { answerLinkSecretArn: config.DUNNING_ANSWER_LINK_SECRET_ARN }
      : {}),
  };
};
