import { Duration } from 'aws-cdk-lib';
import { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { DunningSettings } from '../settings.ts';
import { settingsEnvironment } from '../settings.ts';
import type { Data } from './data.ts';
import { deadLetterQueue } from './dead-letters.ts';
import { DunningFunction } from './dunning-function.ts';

/** The EventBridge detail types of the SES events the configuration set publishes to the default bus. */
export const MAIL_EVENT_DETAIL_TYPES = ['Email Bounced', 'Email Complaint Received'] as const;

export interface MailEventsProps {
  readonly data: Data;
  readonly settings: DunningSettings;
  /** Only events of mail sent through this configuration set concern the ledger. */
  readonly configurationSetName: string;
}

/**
 * Bounces and complaints: a rule on the default bus routes the SES events of our configuration set
 * to the mail-events Lambda, which marks the customer bounced (hard bounce) or opted out (complaint)
 * and records every event, soft bounces included.
 */
export class MailEvents extends Construct {
  readonly handler: DunningFunction;
  readonly rule: Rule;
  /** Where an event goes that still fails after EventBridge's retries. */
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: MailEventsProps) {
    super(scope, id);
    this.handler = new DunningFunction(this, 'MailEventsFunction', {
      entry: 'functions/mail-events/handler.ts',
      description: 'Marks customers bounced or opted out from SES bounce and complaint events',
      // One event is a lookup by address and a couple of single-item writes per customer.
      timeout: Duration.seconds(30),
      memorySize: 512,
      environment: { ...settingsEnvironment(props.settings), DUNNING_TABLE_NAME: props.data.table.tableName },
      table: { data: props.data, access: 'read-write' },
    });
    // SES tags every event with the configuration set it went through; other senders in the account
    // (and other stacks) are left alone.
    this.deadLetterQueue = deadLetterQueue(
      this,
      'DeadLetters',
      'the dead-letter queue of the bounce and complaint rule target (EventBridge DeadLetterConfig)',
    );
    this.rule = new Rule(this, 'BouncesAndComplaints', {
      description: 'SES bounces and complaints of dunning reminders to the mail-events function',
      eventPattern: {
        source: ['aws.ses'],
        detailType: [...MAIL_EVENT_DETAIL_TYPES],
        detail: { mail: { tags: { 'ses:configuration-set': [props.configurationSetName] } } },
      },
    });
    this.rule.addTarget(
      new LambdaFunction(this.handler.function, {
        // Applying an event twice changes nothing, so retrying for hours is safe.
        retryAttempts: 8,
        maxEventAge: Duration.hours(6),
        deadLetterQueue: this.deadLetterQueue,
      }),
    );
  }
}
