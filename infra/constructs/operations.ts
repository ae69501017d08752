import { CfnParameter, Duration } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  Metric,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE, RUN_METRICS, RUN_SERVICE } from '../../functions/shared/metric-names.ts';
import type { DunningFunction } from './dunning-function.ts';

/** Logical id of the deploy parameter: `npm run deploy -- --parameters AlarmEmail=ops@example.com`. */
export const ALARM_EMAIL_PARAMETER = 'AlarmEmail';

/** SES reputation thresholds: AWS reviews an account at 5% bounces and 0.1% complaints; alarm well before. */
export const BOUNCE_RATE_THRESHOLD = 0.02;
export const COMPLAINT_RATE_THRESHOLD = 0.0008;

export interface OperationsProps {
  readonly run: DunningFunction;
  readonly payment: DunningFunction;
  readonly mailEvents: DunningFunction;
  /** Where deferral schedules that could not start the run end (EventBridge Scheduler). */
  readonly deferralDeadLetters: IQueue;
  /** Where SES events end that the mail-events function could not take. */
  readonly mailEventDeadLetters: IQueue;
  /** The run function's async on-failure destination. */
  readonly runFailures: IQueue;
}

const FIVE_MINUTES = Duration.minutes(5);

const runMetric = (metricName: string, period: Duration = FIVE_MINUTES): Metric =>
  new Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    dimensionsMap: { service: RUN_SERVICE },
    statistic: 'Sum',
    period,
  });

const sesReputation = (metricName: string): Metric =>
  new Metric({ namespace: 'AWS/SES', metricName, statistic: 'Maximum', period: Duration.hours(1) });

/**
 * What tells a person the hands-off system needs them: an SNS topic mailing the `AlarmEmail`
 * address, one alarm per thing that must not happen silently, and a dashboard of the run's figures
 * day by day. Every alarm says in its description what it means and what to do.
 */
export class Operations extends Construct {
  readonly topic: Topic;
  readonly alarms: Record<string, Alarm>;
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: OperationsProps) {
    super(scope, id);
    this.topic = this.alarmTopic();
    this.alarms = this.alarmsOf(props, new SnsAction(this.topic));
    this.dashboard = this.dashboardOf(props);
  }

  /** The topic that mails the `AlarmEmail` address. */
  private alarmTopic(): Topic {
    const alarmEmail = new CfnParameter(this, ALARM_EMAIL_PARAMETER, {
      type: 'String',
      allowedPattern: '^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$',
      constraintDescription: 'must be an email address',
      description: 'Where CloudWatch alarms are sent (an SNS email subscription; confirm the mail it sends)',
    });
    alarmEmail.overrideLogicalId(ALARM_EMAIL_PARAMETER);

    // Encrypted with a key CloudWatch may use: alarms cannot publish to a topic under the AWS-managed key.
    const key = new Key(this, 'AlarmTopicKey', {
      description: 'Encrypts the dunning alarm topic',
      enableKeyRotation: true,
    });
    key.grant(new ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    const topic = new Topic(this, 'AlarmTopic', {
      displayName: 'Dunning alarms',
      masterKey: key,
      enforceSSL: true,
    });
    topic.addSubscription(new EmailSubscription(alarmEmail.valueAsString));
    return topic;
  }

  /**
   * One alarm per thing that must not happen silently, each telling its reader what to do. Long on
   * purpose: a table of alarms, each description beside its metric where the operator's mail quotes it.
   */
  private alarmsOf(props: OperationsProps, notify: SnsAction): Record<string, Alarm> {
    const alarm = (
      name: string,
      metric: IMetric,
      threshold: number,
      description: string,
      comparisonOperator = ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    ): Alarm => {
      const created = new Alarm(this, name, {
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator,
        // No data is good news: no error, nothing failed, nothing in a queue.
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      created.addAlarmAction(notify);
      return created;
    };
    const queueDepth = (queue: IQueue) =>
      queue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', period: FIVE_MINUTES });

    return {
      runErrors: alarm(
        'RunErrors',
        props.run.function.metricErrors({ statistic: 'Sum', period: FIVE_MINUTES }),
        1,
        'The run function failed an invocation (it will be retried). See its log group for the "run failed" line.',
      ),
      failedReminders: alarm(
        'FailedReminders',
        runMetric(RUN_METRICS.failed),
        1,
        'The run could not work some customers; their invoices got no reminder. "dunning runs --aws" and "dunning show INVOICE_ID --aws" name the reason.',
      ),
      unknownOutcomes: alarm(
        'UnknownOutcomes',
        runMetric(RUN_METRICS.unknownOutcome),
        1,
        'A reminder may or may not have gone out (the run died or SES failed mid-send); it is never resent on its own. Check the mailbox or SES and decide in "dunning show".',
      ),
      deferralDeadLetters: alarm(
        'DeferralDeadLetters',
        queueDepth(props.deferralDeadLetters),
        1,
        'A deferred reminder or a continuation could not start the run function. The message in the queue names the customer or run; the next daily run covers them.',
      ),
      mailEventDeadLetters: alarm(
        'MailEventDeadLetters',
        queueDepth(props.mailEventDeadLetters),
        1,
        'An SES bounce or complaint could not be recorded: that customer may be mailed again. Look at the queued event and mark the customer (dunning pause, or opt-out).',
      ),
      runAsyncFailures: alarm(
        'RunAsyncFailures',
        queueDepth(props.runFailures),
        1,
        'An invocation of the run (daily, deferred or continued) failed after its retries and went to the on-failure queue. Its record there has the error; "dunning runs --aws" shows the run.',
      ),
      payment5xx: alarm(
        'Payment5xx',
        new Metric({
          namespace: 'AWS/Lambda',
          metricName: 'Url5xxCount',
          dimensionsMap: { FunctionName: props.payment.function.functionName },
          statistic: 'Sum',
          period: FIVE_MINUTES,
        }),
        1,
        'The payment webhook URL answered 5xx (a webhook secret not configured, or a store error). Providers retry, but payments are not being recorded until it is fixed.',
      ),
      bounceRate: alarm(
        'SesBounceRate',
        sesReputation('Reputation.BounceRate'),
        BOUNCE_RATE_THRESHOLD,
        'SES reputation bounce rate is over 2% (AWS reviews the account at 5%). Clean the imported addresses; bounced customers are already stopped.',
        ComparisonOperator.GREATER_THAN_THRESHOLD,
      ),
      complaintRate: alarm(
        'SesComplaintRate',
        sesReputation('Reputation.ComplaintRate'),
        COMPLAINT_RATE_THRESHOLD,
        'SES reputation complaint rate is over 0.08% (AWS reviews the account at 0.1%). Review the wording and the timing of reminders.',
        ComparisonOperator.GREATER_THAN_THRESHOLD,
      ),
    };
  }

  /** The run's figures day by day. */
  private dashboardOf(props: OperationsProps): Dashboard {
    const daily = (metricName: string, label: string) =>
      runMetric(metricName, Duration.days(1)).with({ label });
    return new Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.days(30),
      widgets: [
        [
          new TextWidget({
            markdown:
              '## Dunning runs, day by day\nReminders sent, deferred and failed, the emails that carried them, and unknown outcomes. `dunning runs --aws` lists each run.',
            width: 24,
            height: 2,
          }),
        ],
        [
          new GraphWidget({
            title: 'Reminders per day',
            width: 12,
            left: [
              daily(RUN_METRICS.sent, 'sent'),
              daily(RUN_METRICS.emails, 'emails'),
              daily(RUN_METRICS.deferred, 'deferred'),
            ],
          }),
          new GraphWidget({
            title: 'Failed and unknown per day',
            width: 12,
            left: [daily(RUN_METRICS.failed, 'failed'), daily(RUN_METRICS.unknownOutcome, 'unknown outcome')],
          }),
        ],
        [
          new GraphWidget({
            title: 'Run duration (ms, per part)',
            width: 8,
            left: [
              runMetric(RUN_METRICS.duration, Duration.days(1)).with({
                statistic: 'Maximum',
                label: 'longest part',
              }),
            ],
          }),
          new GraphWidget({
            title: 'Function errors per day',
            width: 8,
            left: [props.run, props.payment, props.mailEvents].map((fn) =>
              fn.function.metricErrors({ statistic: 'Sum', period: Duration.days(1) }),
            ),
          }),
          new GraphWidget({
            title: 'SES reputation',
            width: 8,
            left: [
              sesReputation('Reputation.BounceRate').with({ label: 'bounce rate' }),
              sesReputation('Reputation.ComplaintRate').with({ label: 'complaint rate' }),
            ],
          }),
        ],
      ],
    });
  }
}
