import { describe, expect, it } from 'vitest';
import {
  lambdaConfigSchema,
  lambdaSettings,
  loadConfig,
  localConfigSchema,
  localSettings,
  requiredSetting,
  runFunctionSettings,
} from '../../functions/shared/config.ts';
import { parseBusinessHours } from '../../functions/shared/domain/business-hours.ts';
import { ConfigError } from '../../functions/shared/errors.ts';

describe('Configuration', () => {
  it('applies the documented defaults on an empty environment', () => {
    const config = loadConfig(localConfigSchema, {});
    expect(config.DUNNING_DYNAMODB_PORT).toBe(8000);
    expect(config.DUNNING_SES_PORT).toBe(8005);
    expect(config.DUNNING_HTTP_PORT).toBe(3000);
    expect(config.DUNNING_TIME_ZONE).toBe('UTC');
    expect(config.DUNNING_RUN_AT).toBe('08:00');
    expect(config.DUNNING_BUSINESS_HOURS).toEqual({ days: [1, 2, 3, 4, 5], opensAt: 540, closesAt: 1020 });
  });

  it('names the variable and the expectation for a bad value', () => {
    expect(() => loadConfig(localConfigSchema, { DUNNING_TIME_ZONE: 'Mars/Olympus' })).toThrowError(
      /DUNNING_TIME_ZONE: expected an IANA time zone/,
    );
    expect(() => loadConfig(localConfigSchema, { DUNNING_HTTP_PORT: 'eighty' })).toThrowError(ConfigError);
    expect(() =>
      loadConfig(localConfigSchema, { DUNNING_PAYMENT_URL: 'https://pay.example.com/x' }),
    ).toThrowError(/DUNNING_PAYMENT_URL: expected the placeholder \{invoiceId\}/);
  });

  it('fails loudly when a Lambda lacks a variable CDK must set', () => {
    expect(() => loadConfig(lambdaConfigSchema, {})).toThrowError(/DUNNING_TABLE_NAME: is required/);
  });

  it('never echoes a value in its message', () => {
    expect(() => loadConfig(localConfigSchema, { DUNNING_BUSINESS_HOURS: 'sekrit-value' })).toThrowError(
      expect.objectContaining({ message: expect.not.stringContaining('sekrit-value') }),
    );
  });
});

describe('Settings from the environment', () => {
  const lambdaEnv = {
    DUNNING_TABLE_NAME: 'Ledger-1',
    DUNNING_TIME_ZONE: 'Europe/Berlin',
    DUNNING_FROM: 'Billing <billing@example.com>',
    DUNNING_CONFIGURATION_SET: 'dunning-events',
    DUNNING_PUBLIC_URL: 'https://pay.lambda-url.eu-west-1.on.aws/',
    DUNNING_RESPOND_URL: 'https://respond.lambda-url.eu-west-1.on.aws/',
  };

  it('maps a Lambda environment to the settings the use cases are built from', () => {
    const settings = lambdaSettings(loadConfig(lambdaConfigSchema, lambdaEnv));
    expect(settings).toEqual({
      tableName: 'Ledger-1',
      deploymentTimeZone: 'Europe/Berlin',
      businessHours: { days: [1, 2, 3, 4, 5], opensAt: 540, closesAt: 1020 },
      paymentUrlTemplate: 'https://pay.example.com/invoices/{invoiceId}',
      from: 'Billing <billing@example.com>',
      configurationSetName: 'dunning-events',
      publicUrl: 'https://pay.lambda-url.eu-west-1.on.aws/',
      respondUrl: 'https://respond.lambda-url.eu-west-1.on.aws/',
    });
  });

  it('points the local links at the local HTTP server', () => {
    const settings = localSettings(loadConfig(localConfigSchema, { DUNNING_HTTP_PORT: '3456' }), 'Local');
    expect(settings.publicUrl).toBe('http://127.0.0.1:3456');
    expect(settings.tableName).toBe('Local');
    expect(settings.respondUrl).toBeUndefined();
  });

  it('fails the start naming a variable one function cannot do without', () => {
    const config = loadConfig(lambdaConfigSchema, lambdaEnv);
    expect(requiredSetting(config, 'DUNNING_PUBLIC_URL', 'the run function')).toBe(
      lambdaEnv.DUNNING_PUBLIC_URL,
    );
    expect(() => requiredSetting(config, 'DUNNING_WEBHOOK_SECRETS_ARN', 'the payment function')).toThrowError(
      new ConfigError('DUNNING_WEBHOOK_SECRETS_ARN: is required by the payment function'),
    );
  });

  it("maps the run function's scheduler and keys, failing its start on one it cannot run without", () => {
    const runEnv = {
      ...lambdaEnv,
      DUNNING_SCHEDULER_ROLE_ARN: 'arn:aws:iam::123456789012:role/scheduler',
      DUNNING_DEFERRAL_DLQ_ARN: 'arn:aws:sqs:eu-west-1:123456789012:deferrals-dlq',
      DUNNING_SCHEDULE_GROUP: 'dunning',
      DUNNING_ANSWER_LINK_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:answers',
    };
    expect(runFunctionSettings(loadConfig(lambdaConfigSchema, runEnv))).toEqual({
      schedulerRoleArn: runEnv.DUNNING_SCHEDULER_ROLE_ARN,
      deferralDeadLetterArn: runEnv.DUNNING_DEFERRAL_DLQ_ARN,
      scheduleGroup: 'dunning',
      answerLinkSecretArn: runEnv.DUNNING_ANSWER_LINK_SECRET_ARN,
    });
    for (const missing of ['DUNNING_PUBLIC_URL', 'DUNNING_SCHEDULER_ROLE_ARN', 'DUNNING_DEFERRAL_DLQ_ARN']) {
      const config = loadConfig(lambdaConfigSchema, { ...runEnv, [missing]: undefined });
      expect(() => runFunctionSettings(config)).toThrowError(
        new ConfigError(`${missing}: is required by the run function`),
      );
    }
  });
});

describe('Business hours notation', () => {
  it('reads day lists and ranges', () => {
    expect(parseBusinessHours('Mon,Wed,Fri-Sat 08:30-12:00')).toEqual({
      days: [1, 3, 5, 6],
      opensAt: 510,
      closesAt: 720,
    });
  });

  it.each([
    ['Mon-Fri 9-17', /expected days and hours/],
    ['Fri-Mon 09:00-17:00', /runs backwards/],
    ['Mon-Fri 17:00-09:00', /not after opening/],
    ['Mon-Fry 09:00-17:00', /"Fry" is not a weekday/],
  ])('rejects %s', (text, reason) => {
    expect(() => parseBusinessHours(text)).toThrowError(reason);
  });
});
