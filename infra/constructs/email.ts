import { CfnParameter, Stack, Validations } from 'aws-cdk-lib';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import {
  ConfigurationSet,
  EmailSendingEvent,
  EventDestination,
  SuppressionReasons,
} from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import type { DunningFunction } from './dunning-function.ts';

/** Logical id of the deploy-time parameter: `npm run deploy -- --parameters SenderIdentity=example.com`. */
export const SENDER_IDENTITY_PARAMETER = 'SenderIdentity';

/**
 * Sending through SES v2: a configuration set with reputation metrics, and the sender identity, which
 * is verified outside the stack (domain DNS or a clicked link), so it arrives as a parameter.
 */
export class Email extends Construct {
  readonly configurationSet: ConfigurationSet;
  readonly senderIdentity: CfnParameter;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.senderIdentity = new CfnParameter(this, SENDER_IDENTITY_PARAMETER, {
      type: 'String',
      minLength: 3,
      description: 'The verified SES identity (email address or domain) reminders are sent from',
    });
    this.senderIdentity.overrideLogicalId(SENDER_IDENTITY_PARAMETER);
    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      reputationMetrics: true,
      sendingEnabled: true,
      // A bounced or complaining customer is never mailed again, whatever the ledger says.
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    // Bounces and complaints go to the default bus (the only one SES publishes to); a rule there
    // routes them to the mail-events function (infra/constructs/mail-events.ts).
    this.configurationSet.addEventDestination('BouncesAndComplaints', {
      destination: EventDestination.eventBus(EventBus.fromEventBusName(this, 'DefaultBus', 'default')),
      events: [EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT],
    });
  }

  get identityArn(): string {
    return Stack.of(this).formatArn({
      service: 'ses',
      resource: 'identity',
      resourceName: this.senderIdentity.valueAsString,
    });
  }

  get configurationSetArn(): string {
    return Stack.of(this).formatArn({
      service: 'ses',
      resource: 'configuration-set',
      resourceName: this.configurationSet.configurationSetName,
    });
  }

  /** Sending from the one identity through the one configuration set; nothing else. */
  grantSend(sender: DunningFunction): void {
    sender.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [this.identityArn, this.configurationSetArn],
      }),
    );
    sender.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['ses:GetAccount'], resources: ['*'] }));
    Validations.of(sender).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      reason:
        'ses:GetAccount (sending quota and whether sending is paused) has no resource-level permissions; it reads account status only.',
    });
  }
}
