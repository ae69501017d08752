import { z } from 'zod';
import { type BusinessHours, parseBusinessHours } from './domain/business-hours.ts';
import { ConfigError } from './errors.ts';

const port = (fallback: number) => z.coerce.number().int().min(1).max(65_535).default(fallback);

const timeZone = z.string().refine(
  (zone) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'expected an IANA time zone such as "Europe/Berlin"' },
);

const businessHours = z.string().transform((text, ctx): BusinessHours => {
  try {
    return parseBusinessHours(text);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time of day like "08:00"');

const paymentUrlTemplate = z
  .url({ message: 'expected an http(s) URL' })
  .refine((url) => url.includes('{invoiceId}'), {
    message: 'expected the placeholder {invoiceId} in the URL',
  });

/** Settings every host (CLI, local server, Lambdas) shares. */
const dunningSettings = {
  DUNNING_TIME_ZONE: timeZone.default('UTC'),
  DUNNING_BUSINESS_HOURS: businessHours.default(parseBusinessHours('Mon-Fri 09:00-17:00')),
  DUNNING_RUN_AT: clockTime.default('08:00'),
  DUNNING_FROM: z.string().min(3).default('Accounts Receivable <billing@dunning.local>'),
  DUNNING_PAYMENT_URL: paymentUrlTemplate.default('https://pay.example.com/invoices/{invoiceId}'),
};

export const localConfigSchema = z.object({
  ...dunningSettings,
  DUNNING_TARGET: z.enum(['local', 'aws']).default('local'),
  DUNNING_DYNAMODB_PORT: port(8000),
  DUNNING_SES_PORT: port(8005),
  DUNNING_HTTP_PORT: port(3000),
  DUNNING_DATA_DIR: z.string().min(1).default('.dunning'),
  DUNNING_TABLE_NAME: z.string().min(3).optional(),
  DUNNING_STACK_NAME: z.string().min(1).default('Dunning'),
  STRIPE_WEBHOOK_SECRET: z.string().min(1).optional(),
  PAYMENTS_WEBHOOK_SECRET: z.string().min(1).optional(),
});
export type LocalConfig = z.infer<typeof localConfigSchema>;

/** What CDK hands every Lambda; absent values are deployment bugs, so they fail the cold start. */
export const lambdaConfigSchema = z.object({
  ...dunningSettings,
  DUNNING_TABLE_NAME: z.string().min(3),
  DUNNING_CONFIGURATION_SET: z.string().min(1).optional(),
  DUNNING_WEBHOOK_SECRETS_ARN: z.string().startsWith('arn:').optional(),
  DUNNING_RUN_FUNCTION_ARN: z.string().startsWith('arn:').optional(),
  DUNNING_SCHEDULER_ROLE_ARN: z.string().startsWith('arn:').optional(),
  DUNNING_SCHEDULE_GROUP: z.string().min(1).optional(),
  DUNNING_DEFERRAL_DLQ_ARN: z.string().startsWith('arn:').optional(),
  /** Where the run Lambda's bundle carries templates/ (copied in at bundling). */
  DUNNING_TEMPLATES_DIR: z.string().min(1).optional(),
  /** Public base URL of the payment function (opt-out links). */
  DUNNING_PUBLIC_URL: z.url().optional(),
});
export type LambdaConfig = z.infer<typeof lambdaConfigSchema>;

/**
 * Reads the environment once through a schema; the error names every bad variable and what was
 * expected, never its value (a secret may be among them).
 */
export const loadConfig = <Schema extends z.ZodType>(
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
