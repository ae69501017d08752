import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { STACK_OUTPUTS } from '../cli/context.ts';
import { AWS_RUN_OUTPUTS } from '../cli/stack-outputs.ts';
import { ledgerTable } from '../functions/shared/tables.ts';
import { AnswerLinks } from './constructs/answer-links.ts';
import { Data } from './constructs/data.ts';
import { DunningRun } from './constructs/dunning-run.ts';
import { Email } from './constructs/email.ts';
import { MailEvents } from './constructs/mail-events.ts';
import { Operations } from './constructs/operations.ts';
import { OptOutSecret } from './constructs/opt-out-secret.ts';
import { Payments } from './constructs/payments.ts';
import { type DunningSettings, settingsEnvironment } from './settings.ts';

export const STACK_NAME = 'Dunning';

export interface DunningStackProps extends StackProps {
  readonly settings: DunningSettings;
}

/** The whole deployment: the ledger, the daily run, the payment webhooks and email sending. */
export class DunningStack extends Stack {
  readonly data: Data;
  readonly email: Email;
  readonly payments: Payments;
  readonly run: DunningRun;
  readonly mailEvents: MailEvents;
  readonly optOut: OptOutSecret;
  readonly operations: Operations;
  readonly answers: AnswerLinks;

  constructor(scope: Construct, id: string, props: DunningStackProps) {
    super(scope, id, { description: 'Dunning: collects overdue invoices', ...props });
    const { settings } = props;
    this.data = new Data(this, 'Data', { definition: ledgerTable });
    this.email = new Email(this, 'Email');
    this.payments = new Payments(this, 'Payments', { data: this.data, settings });
    this.run = new DunningRun(this, 'DunningRun', {
      data: this.data,
      settings,
      configurationSetName: this.email.configurationSet.configurationSetName,
      publicUrl: this.payments.url.url,
    });
    this.email.grantSend(this.run.handler);
    this.mailEvents = new MailEvents(this, 'MailEvents', {
      data: this.data,
      settings,
      configurationSetName: this.email.configurationSet.configurationSetName,
    });
    this.operations = new Operations(this, 'Operations', {
      run: this.run.handler,
      payment: this.payments.handler,
      mailEvents: this.mailEvents.handler,
      deferralDeadLetters: this.run.deadLetterQueue,
      mailEventDeadLetters: this.mailEvents.deadLetterQueue,
      runFailures: this.run.failures,
    });
    this.optOut = new OptOutSecret(this, 'OptOut');
    this.optOut.grantTo(this.run.handler);
    this.optOut.grantTo(this.payments.handler);
    this.answers = new AnswerLinks(this, 'Answers', {
      data: this.data,
      settings,
      configurationSetName: this.email.configurationSet.configurationSetName,
    });
    this.answers.grantSigning(this.run.handler);
    this.email.grantSend(this.answers.handler);

    this.outputs(settings);
  }

  /** Ids the CLI looks up with --aws (cli/context.ts); declared at stack level so they stay unprefixed. */
  private outputs(settings: DunningStackProps['settings']): void {
    new CfnOutput(this, STACK_OUTPUTS.tableName, {
      description: 'Physical name of the ledger table',
      value: this.data.table.tableName,
    });
    new CfnOutput(this, STACK_OUTPUTS.webhookUrl, {
      description: 'Base URL for provider webhooks (append /webhooks/stripe or /webhooks/payments)',
      value: this.payments.url.url,
    });
    // What `dunning run --aws` needs to run as the run function would (cli/stack-outputs.ts).
    const runOutputs: Record<keyof typeof AWS_RUN_OUTPUTS, string> = {
      runFunctionArn: this.run.handler.function.functionArn,
      schedulerRoleArn: this.run.schedulerRole.roleArn,
      scheduleGroupName: this.run.deferrals.scheduleGroupName,
      deferralDlqArn: this.run.deadLetterQueue.queueArn,
      configurationSetName: this.email.configurationSet.configurationSetName,
      optOutSecretArn: this.optOut.secret.secretArn,
      respondUrl: this.answers.url.url,
      answerLinkSecretArn: this.answers.secret.secretArn,
      settings: JSON.stringify(settingsEnvironment(settings)),
    };
    const descriptions: Partial<Record<keyof typeof AWS_RUN_OUTPUTS, string>> = {
      respondUrl: "Base URL of the customers' answer page (reminders link to /respond?token=...)",
    };
    for (const [name, value] of Object.entries(runOutputs)) {
      const description = descriptions[name as keyof typeof AWS_RUN_OUTPUTS];
      new CfnOutput(this, AWS_RUN_OUTPUTS[name as keyof typeof AWS_RUN_OUTPUTS], {
        value,
        ...(description ? { description } : {}),
      });
    }
  }
}
