import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ALARM_EMAIL_PARAMETER } from '../../infra/constructs/operations.ts';
import { PAYMENT_CONCURRENCY_PARAMETER } from '../../infra/constructs/payments.ts';
import { synthesizedSuite } from './synth.ts';

const synthesized = synthesizedSuite();
const template = () => synthesized.template;
const { logicalId } = synthesized;

type AlarmProperties = {
  Namespace?: string;
  MetricName?: string;
  Dimensions?: { Name: string; Value: unknown }[];
  Threshold: number;
  ComparisonOperator: string;
  AlarmActions: unknown[];
  TreatMissingData: string;
  Statistic?: string;
};
const alarms = () =>
  Object.values(template().findResources('AWS::CloudWatch::Alarm')).map(
    (resource) => (resource as { Properties: AlarmProperties }).Properties,
  );
const alarmOn = (namespace: string, metricName: string) => {
  const found = alarms().filter((alarm) => alarm.Namespace === namespace && alarm.MetricName === metricName);
  expect(found, `${namespace} ${metricName}`).toHaveLength(1);
  return found[0] as AlarmProperties;
};

describe('Alarms that reach a person', () => {
  it('mail the AlarmEmail parameter through an encrypted SNS topic CloudWatch may publish to', () => {
    const { operations } = synthesized.stack;
    template().hasParameter(ALARM_EMAIL_PARAMETER, { Type: 'String', AllowedPattern: Match.anyValue() });
    template().hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: { Ref: ALARM_EMAIL_PARAMETER },
      TopicArn: { Ref: logicalId(operations.topic) },
    });
    template().hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: Match.anyValue(),
    });
    template().hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          }),
        ]),
      },
    });
    const topic = { Ref: logicalId(operations.topic) };
    expect(alarms()).toHaveLength(9);
    for (const alarm of alarms()) {
      expect(alarm.AlarmActions).toEqual([topic]);
      expect(alarm.TreatMissingData).toBe('notBreaching');
    }
  });

  it("watch the run's errors, failed reminders and unknown outcomes", () => {
    const { run } = synthesized.stack;
    const errors = alarmOn('AWS/Lambda', 'Errors');
    expect(errors.Dimensions).toEqual([
      { Name: 'FunctionName', Value: { Ref: logicalId(run.handler.function) } },
    ]);
    expect(errors).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    for (const metricName of ['failed', 'unknown_outcome']) {
      expect(alarmOn('Dunning', metricName)).toMatchObject({
        Dimensions: [{ Name: 'service', Value: 'dunning-run' }],
        Statistic: 'Sum',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
    }
  });

  it('watch the deferral and mail-event dead-letter queues and the run on-failure destination', () => {
    const { run, mailEvents } = synthesized.stack;
    const queues = alarms()
      .filter((alarm) => alarm.MetricName === 'ApproximateNumberOfMessagesVisible')
      .map((alarm) => alarm.Dimensions?.[0]?.Value);
    expect(queues).toEqual(
      expect.arrayContaining([
        { 'Fn::GetAtt': [logicalId(run.deadLetterQueue), 'QueueName'] },
        { 'Fn::GetAtt': [logicalId(mailEvents.deadLetterQueue), 'QueueName'] },
        { 'Fn::GetAtt': [logicalId(run.failures), 'QueueName'] },
      ]),
    );
    expect(queues).toHaveLength(3);
    template().hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: logicalId(run.handler.function) },
      MaximumRetryAttempts: 2,
      DestinationConfig: {
        OnFailure: { Destination: { 'Fn::GetAtt': [logicalId(run.failures), 'Arn'] } },
      },
    });
  });

  it('watch the payment URL for 5xx and the SES reputation at 2% bounces and 0.08% complaints', () => {
    const { payments } = synthesized.stack;
    expect(alarmOn('AWS/Lambda', 'Url5xxCount')).toMatchObject({
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: logicalId(payments.handler.function) } }],
      Threshold: 1,
    });
    expect(alarmOn('AWS/SES', 'Reputation.BounceRate')).toMatchObject({
      Threshold: 0.02,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    expect(alarmOn('AWS/SES', 'Reputation.ComplaintRate')).toMatchObject({
      Threshold: 0.0008,
      ComparisonOperator: 'GreaterThanThreshold',
    });
  });

  it("show the run's figures day by day on a dashboard", () => {
    const dashboards = Object.values(template().findResources('AWS::CloudWatch::Dashboard'));
    expect(dashboards).toHaveLength(1);
    const body = JSON.stringify(dashboards[0]);
    for (const metricName of ['sent', 'emails', 'deferred', 'failed', 'unknown_outcome', 'run_duration'])
      expect(body).toContain(`\\"${metricName}\\"`);
    expect(body).toContain('\\"period\\":86400');
  });
});

describe('The public URL cannot starve the run', () => {
  it('reserves the payment function concurrency from a deploy parameter', () => {
    const { payments } = synthesized.stack;
    template().hasParameter(PAYMENT_CONCURRENCY_PARAMETER, { Type: 'Number', Default: 10, MinValue: 1 });
    const resource = template().toJSON().Resources[logicalId(payments.handler.function)];
    expect(resource.Properties.ReservedConcurrentExecutions).toEqual({ Ref: PAYMENT_CONCURRENCY_PARAMETER });
  });

  it('passes cdk-nag with the alarm topic, key, queues and dashboard', () => {
    const violations = synthesized.validationReport.pluginReports.flatMap((report) => report.violations);
    expect(violations).toEqual([]);
  });
});
