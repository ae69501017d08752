import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { STACK_OUTPUTS } from '../cli/context.ts';
import { ledgerTable } from '../functions/shared/tables.ts';
import { Data } from './constructs/data.ts';
import { DunningRun } from './constructs/dunning-run.ts';
import { Email } from './constructs/email.ts';
import { Payments } from './constructs/payments.ts';
import type { DunningSettings } from './settings.ts';

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

    // Ids the CLI looks up with --aws (cli/context.ts); declared at stack level so they stay unprefixed.
    new CfnOutput(this, STACK_OUTPUTS.tableName, {
      description: 'Physical name of the ledger table',
      value: this.data.table.tableName,
    });
    new CfnOutput(this, STACK_OUTPUTS.webhookUrl, {
      description: 'Base URL for provider webhooks (append /webhooks/stripe or /webhooks/payments)',
      value: this.payments.url.url,
    });
  }
}
