import { type CfnElement, Validations } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { lambdaConfigSchema } from '../../functions/shared/config.ts';
import { parseBusinessHours } from '../../functions/shared/domain/business-hours.ts';
import { ledgerTable } from '../../functions/shared/tables.ts';
import { FUNCTION_RUNTIME } from '../../infra/constructs/dunning-function.ts';
import {
  actionsOf,
  CDK_TIMEOUT,
  type Resources,
  resourcesOf,
  type Synthesized,
  statementsOfRole,
  synthesize,
  synthesizedSuite,
} from './synth.ts';

const synthesized = synthesizedSuite();
const template = () => synthesized.template;
const { logicalId } = synthesized;

const tableArn = () => ({ 'Fn::GetAtt': [logicalId(synthesized.stack.data.table), 'Arn'] });
const indexArn = (indexName: string) => ({ 'Fn::Join': ['', [tableArn(), `/index/${indexName}`]] });
const functionsByEntry = () => ({
  run: synthesized.stack.run.handler,
  payment: synthesized.stack.payments.handler,
  mailEvents: synthesized.stack.mailEvents.handler,
});
const environmentOf = (functionLogicalId: string, of: Pick<Synthesized, 'template'> = synthesized) =>
  (of.template.toJSON().Resources[functionLogicalId].Properties.Environment.Variables ?? {}) as Record<
    string,
    unknown
  >;

describe('Ledger table', () => {
  it('declares the keys and every index of the shared definition', () => {
    const keySchema = (definition: { partitionKey: { name: string }; sortKey: { name: string } }) => [
      { AttributeName: definition.partitionKey.name, KeyType: 'HASH' },
      { AttributeName: definition.sortKey.name, KeyType: 'RANGE' },
    ];
    const attributes = [ledgerTable, ...ledgerTable.globalSecondaryIndexes].flatMap((keys) => [
      { AttributeName: keys.partitionKey.name, AttributeType: keys.partitionKey.type },
      { AttributeName: keys.sortKey.name, AttributeType: keys.sortKey.type },
    ]);

    template().resourceCountIs('AWS::DynamoDB::Table', 1);
    template().hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: keySchema(ledgerTable),
      AttributeDefinitions: Match.arrayWith(attributes),
      GlobalSecondaryIndexes: ledgerTable.globalSecondaryIndexes.map((index) => ({
        IndexName: index.indexName,
        KeySchema: keySchema(index),
        Projection: { ProjectionType: index.projection },
      })),
    });
  });

  it('keeps point-in-time recovery, deletion protection, encryption and on-demand billing', () => {
    template().hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
        SSESpecification: { SSEEnabled: true },
      }),
    });
  });

  it('expires items on the shared TTL attribute', () => {
    template().hasResourceProperties('AWS::DynamoDB::Table', {
      TimeToLiveSpecification: { AttributeName: ledgerTable.timeToLiveAttribute, Enabled: true },
    });
  });

  it('publishes its name under the output id the CLI reads', () => {
    template().hasOutput('LedgerTableName', { Value: { Ref: logicalId(synthesized.stack.data.table) } });
  });
});

describe('Daily run schedule', () => {
  it('starts the run at 08:00 UTC by default with a daily event, no flexible window', () => {
    template().hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 8 * * ? *)',
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
      Target: Match.objectLike({
        Arn: { 'Fn::GetAtt': [logicalId(synthesized.stack.run.handler.function), 'Arn'] },
        Input: JSON.stringify({ kind: 'daily' }),
        RoleArn: { 'Fn::GetAtt': [logicalId(synthesized.stack.run.schedulerRole), 'Arn'] },
      }),
    });
  });

  it('retries a failed start and dead-letters it to an encrypted, TLS-only queue', () => {
    const queueId = logicalId(synthesized.stack.run.deadLetterQueue);
    template().hasResourceProperties('AWS::Scheduler::Schedule', {
      Target: Match.objectLike({
        RetryPolicy: { MaximumRetryAttempts: 4, MaximumEventAgeInSeconds: 3 * 3600 },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } },
      }),
    });
    template().hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
    template().hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queueId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it(
    'runs at DUNNING_RUN_AT in DUNNING_TIME_ZONE when they are set',
    () => {
      const berlin = synthesize({ DUNNING_TIME_ZONE: 'Europe/Berlin', DUNNING_RUN_AT: '07:30' });
      try {
        berlin.template.hasResourceProperties('AWS::Scheduler::Schedule', {
          ScheduleExpression: 'cron(30 7 * * ? *)',
          ScheduleExpressionTimezone: 'Europe/Berlin',
        });
        const runEnvironment = environmentOf(
          berlin.stack.getLogicalId(berlin.stack.run.handler.function.node.defaultChild as CfnElement),
          berlin,
        );
        expect(runEnvironment.DUNNING_TIME_ZONE).toBe('Europe/Berlin');
        expect(runEnvironment.DUNNING_RUN_AT).toBe('07:30');
      } finally {
        berlin.cleanup();
      }
    },
    CDK_TIMEOUT,
  );

  it('keeps a schedule group for one-time deferrals and hands its name, role and queue to the run', () => {
    const { run } = synthesized.stack;
    template().hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: 'Dunning-deferrals' });
    expect(environmentOf(logicalId(run.handler.function))).toMatchObject({
      DUNNING_SCHEDULE_GROUP: 'Dunning-deferrals',
      DUNNING_SCHEDULER_ROLE_ARN: { 'Fn::GetAtt': [logicalId(run.schedulerRole), 'Arn'] },
      DUNNING_DEFERRAL_DLQ_ARN: { 'Fn::GetAtt': [logicalId(run.deadLetterQueue), 'Arn'] },
    });
  });
});

describe('Functions', () => {
  it('run on the newest Node.js runtime on arm64 with source maps and a bounded time and memory', () => {
    for (const handler of Object.values(functionsByEntry())) {
      const properties = template().toJSON().Resources[logicalId(handler.function)].Properties;
      expect(properties).toMatchObject({
        Runtime: FUNCTION_RUNTIME.name,
        Architectures: ['arm64'],
        Handler: 'index.handler',
        Environment: { Variables: expect.objectContaining({ NODE_OPTIONS: '--enable-source-maps' }) },
      });
      expect(properties.Timeout).toBeLessThanOrEqual(300);
      expect(properties.MemorySize).toBeGreaterThanOrEqual(512);
    }
    expect(FUNCTION_RUNTIME.name).toBe('nodejs24.x');
  });

  it('log to their own log group with a retention', () => {
    for (const handler of Object.values(functionsByEntry())) {
      const properties = template().toJSON().Resources[logicalId(handler.function)].Properties;
      expect(properties.LoggingConfig).toEqual({ LogGroup: { Ref: logicalId(handler.logGroup) } });
    }
    const retentions = Object.values(template().findResources('AWS::Logs::LogGroup') as Resources).map(
      (group) => group.Properties?.RetentionInDays,
    );
    expect(retentions).toEqual([90, 90, 90, 90]);
  });

  it('get only variables the Lambda configuration schema knows', () => {
    const known = new Set([...Object.keys(lambdaConfigSchema.shape), 'NODE_OPTIONS']);
    for (const handler of Object.values(functionsByEntry())) {
      const names = Object.keys(environmentOf(logicalId(handler.function)));
      expect(names.filter((name) => !known.has(name))).toEqual([]);
      expect(names).toEqual(expect.arrayContaining(['DUNNING_TABLE_NAME', 'DUNNING_TIME_ZONE']));
    }
  });

  it('pass the default settings in the notation the Lambdas parse back to the same values', () => {
    const runEnvironment = environmentOf(logicalId(synthesized.stack.run.handler.function));
    expect(runEnvironment).toMatchObject({
      DUNNING_TIME_ZONE: 'UTC',
      DUNNING_RUN_AT: '08:00',
      DUNNING_TEMPLATES_DIR: '/var/task/templates',
      DUNNING_PAYMENT_URL: 'https://pay.example.com/invoices/{invoiceId}',
      DUNNING_TABLE_NAME: { Ref: logicalId(synthesized.stack.data.table) },
      DUNNING_CONFIGURATION_SET: { Ref: logicalId(synthesized.stack.email.configurationSet) },
      DUNNING_PUBLIC_URL: {
        'Fn::GetAtt': [logicalId(synthesized.stack.payments.url), 'FunctionUrl'],
      },
    });
    expect(parseBusinessHours(runEnvironment.DUNNING_BUSINESS_HOURS as string)).toEqual(
      parseBusinessHours('Mon-Fri 09:00-17:00'),
    );
  });
});

describe('Payment webhooks', () => {
  it('are served by a public function URL whose address is the WebhookUrl output', () => {
    const urlId = logicalId(synthesized.stack.payments.url);
    template().hasResourceProperties('AWS::Lambda::Url', {
      AuthType: 'NONE',
      TargetFunctionArn: { 'Fn::GetAtt': [logicalId(synthesized.stack.payments.handler.function), 'Arn'] },
    });
    template().hasOutput('WebhookUrl', { Value: { 'Fn::GetAtt': [urlId, 'FunctionUrl'] } });
  });

  it('read their signing secrets from Secrets Manager, JSON with a stripe and a payments key', () => {
    const { payments } = synthesized.stack;
    const secretId = logicalId(payments.webhookSecrets);
    const secret = template().toJSON().Resources[secretId];
    expect(Object.keys(JSON.parse(secret.Properties.SecretString)).sort()).toEqual(['payments', 'stripe']);
    expect(environmentOf(logicalId(payments.handler.function)).DUNNING_WEBHOOK_SECRETS_ARN).toEqual({
      Ref: secretId,
    });
    const secretStatements = statementsOfRole(template(), logicalId(payments.handler.role)).filter(
      (statement) => actionsOf(statement).some((action) => action.startsWith('secretsmanager:')),
    );
    expect(secretStatements).toEqual([
      expect.objectContaining({
        Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
        Resource: { Ref: secretId },
      }),
      // The opt-out link key (test/infra/mail-events.test.ts).
      expect.objectContaining({ Resource: { Ref: logicalId(synthesized.stack.optOut.secret) } }),
    ]);
  });
});

describe('Email', () => {
  it('sends through a configuration set with reputation metrics from the SenderIdentity parameter', () => {
    template().hasParameter('SenderIdentity', { Type: 'String' });
    template().hasResourceProperties('AWS::SES::ConfigurationSet', {
      ReputationOptions: { ReputationMetricsEnabled: true },
      SendingOptions: { SendingEnabled: true },
    });
  });
});

describe('IAM', () => {
  const roleStatements = (name: 'run' | 'payment') =>
    statementsOfRole(template(), logicalId(functionsByEntry()[name].role));

  it('confines table access to the ledger and its named indexes, with no scan', () => {
    for (const name of ['run', 'payment'] as const) {
      const dynamo = roleStatements(name).filter((statement) =>
        actionsOf(statement).some((action) => action.startsWith('dynamodb:')),
      );
      expect(dynamo).toEqual([
        expect.objectContaining({
          Action: expect.arrayContaining([
            'dynamodb:GetItem',
            'dynamodb:Query',
            'dynamodb:UpdateItem',
            'dynamodb:BatchWriteItem',
          ]),
          Resource: tableArn(),
        }),
        expect.objectContaining({
          Action: 'dynamodb:Query',
          Resource: ledgerTable.globalSecondaryIndexes.map((index) => indexArn(index.indexName)),
        }),
      ]);
      expect(dynamo.flatMap(actionsOf)).not.toContain('dynamodb:Scan');
    }
  });

  it('lets the run send mail only from the sender identity through the configuration set', () => {
    const send = roleStatements('run').filter((statement) => actionsOf(statement).includes('ses:SendEmail'));
    expect(send).toHaveLength(1);
    expect(JSON.stringify(send[0]?.Resource)).toContain(':identity/",{"Ref":"SenderIdentity"}');
    expect(JSON.stringify(send[0]?.Resource)).toContain(
      `:configuration-set/",{"Ref":"${logicalId(synthesized.stack.email.configurationSet)}"}`,
    );
    expect(resourcesOf(send[0] as never)).toHaveLength(2);
  });

  it('lets the run create schedules in the deferral group only and pass only the scheduler role', () => {
    const statements = roleStatements('run');
    const create = statements.filter((statement) =>
      actionsOf(statement).some((a) => a.startsWith('scheduler:')),
    );
    expect(create).toHaveLength(1);
    expect(actionsOf(create[0] as never)).toEqual(['scheduler:CreateSchedule']);
    expect(JSON.stringify(create[0]?.Resource)).toMatch(/:schedule\/Dunning-deferrals\/\*"\]\]\}$/);

    const passRole = statements.filter((statement) => actionsOf(statement).includes('iam:PassRole'));
    expect(passRole).toEqual([
      {
        Effect: 'Allow',
        Action: 'iam:PassRole',
        Resource: { 'Fn::GetAtt': [logicalId(synthesized.stack.run.schedulerRole), 'Arn'] },
        Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      },
    ]);
  });

  it('lets Scheduler invoke the unqualified run function and dead-letter, nothing more', () => {
    const { run } = synthesized.stack;
    const statements = statementsOfRole(template(), logicalId(run.schedulerRole));
    expect(statements.map((statement) => [statement.Action, statement.Resource])).toEqual([
      ['lambda:InvokeFunction', { 'Fn::GetAtt': [logicalId(run.handler.function), 'Arn'] }],
      ['sqs:SendMessage', { 'Fn::GetAtt': [logicalId(run.deadLetterQueue), 'Arn'] }],
    ]);
    template().hasResourceProperties('AWS::IAM::Role', {
      RoleName: Match.absent(),
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { Service: 'scheduler.amazonaws.com' },
            Condition: { StringEquals: Match.objectLike({ 'aws:SourceAccount': { Ref: 'AWS::AccountId' } }) },
          }),
        ],
      },
    });
  });

  it('gives the payment function no mail, scheduler or pass-role rights', () => {
    const actions = roleStatements('payment').flatMap(actionsOf);
    expect(actions.filter((action) => /^(ses|scheduler|iam):/.test(action))).toEqual([]);
  });

  it('attaches no managed policy to any role', () => {
    for (const role of Object.values(template().findResources('AWS::IAM::Role') as Resources)) {
      expect(role.Properties?.ManagedPolicyArns).toBeUndefined();
    }
  });
});

describe('cdk-nag AwsSolutions', () => {
  const acknowledgements = () =>
    synthesized.app.node
      .findAll()
      .flatMap((construct) =>
        construct.node.metadata.filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY),
      )
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>));

  it('finds nothing unacknowledged in the Dunning stack', () => {
    // synthesize() already succeeded with the plugin attached (a finding throws); the report is empty too.
    const violations = synthesized.validationReport.pluginReports.flatMap((report) => report.violations);
    expect(violations).toEqual([]);
  });

  it('acknowledges each accepted finding with its reason', () => {
    const acknowledged = acknowledgements();
    expect(acknowledged.map(([id]) => id).sort()).toEqual([
      'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      // The respond function's SES GetAccount, like the run's.
      'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      'AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/Dunning-deferrals/*]',
      'AwsSolutions::AwsSolutions-SMG4',
      'AwsSolutions::AwsSolutions-SMG4',
      // The answer-link key: rotating it would break the links of the last 60 days.
      'AwsSolutions::AwsSolutions-SMG4',
      // The deferral dead-letter queue, the mail-events one and the run's on-failure destination.
      'AwsSolutions::AwsSolutions-SQS3',
      'AwsSolutions::AwsSolutions-SQS3',
      'AwsSolutions::AwsSolutions-SQS3',
      'Serverless::Serverless-LambdaFunctionUrlAuth',
      // The respond function's public URL: customers open it from an email, the token authenticates.
      'Serverless::Serverless-LambdaFunctionUrlAuth',
    ]);
    for (const [, reason] of acknowledged) expect(reason.length).toBeGreaterThan(40);
  });
});
