import { CfnParameter, Duration, RemovalPolicy, SecretValue, Validations } from 'aws-cdk-lib';
import { type FunctionUrl, FunctionUrlAuthType } from 'aws-cdk-lib/aws-lambda';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { WEBHOOK_SECRET_PLACEHOLDER } from '../../functions/shared/adapters/secrets/secret-format.ts';
import type { DunningSettings } from '../settings.ts';
import { settingsEnvironment } from '../settings.ts';
import type { Data } from './data.ts';
import { DunningFunction } from './dunning-function.ts';

export interface PaymentsProps {
  readonly data: Data;
  readonly settings: DunningSettings;
}

/** Logical id of the deploy parameter: `--parameters PaymentConcurrency=20`. */
export const PAYMENT_CONCURRENCY_PARAMETER = 'PaymentConcurrency';

/** The payment Lambda behind a public function URL, receiving provider webhooks. */
export class Payments extends Construct {
  readonly handler: DunningFunction;
  readonly url: FunctionUrl;
  readonly webhookSecrets: Secret;

  constructor(scope: Construct, id: string, props: PaymentsProps) {
    super(scope, id);
    // Provider-issued values: the operator sets them with `aws secretsmanager put-secret-value`
    // after creating the endpoints at Stripe and the payments provider. Until then each route answers
    // 503 "not configured" rather than verify against the placeholder, which is public in the template.
    this.webhookSecrets = new Secret(this, 'WebhookSecrets', {
      description: 'Webhook signing secrets, JSON {"stripe": "whsec_...", "payments": "whsec_..."}',
      secretObjectValue: {
        stripe: SecretValue.unsafePlainText(WEBHOOK_SECRET_PLACEHOLDER),
        payments: SecretValue.unsafePlainText(WEBHOOK_SECRET_PLACEHOLDER),
      },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.webhookSecrets).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SMG4',
      reason:
        'The webhook signing secrets are issued by the payment providers; they are rotated in the provider dashboard and then stored here, which no rotation Lambda can do.',
    });

    // The URL is in every email, so anyone can call it: a ceiling of its own keeps a flood of requests
    // from taking the account's concurrency the daily run needs (and keeps some for the webhooks).
    const concurrency = new CfnParameter(this, PAYMENT_CONCURRENCY_PARAMETER, {
      type: 'Number',
      default: 10,
      minValue: 1,
      maxValue: 1000,
      description: 'Reserved concurrency of the payment function (its public URL cannot starve the run)',
    });
    concurrency.overrideLogicalId(PAYMENT_CONCURRENCY_PARAMETER);

    this.handler = new DunningFunction(this, 'PaymentFunction', {
      reservedConcurrentExecutions: concurrency.valueAsNumber,
      entry: 'functions/payment/handler.ts',
      description: 'Receives payment webhooks (Stripe, Standard Webhooks) and records payments on invoices',
      // Providers give up after ~10-30 s; a webhook is one verify plus a few single-item writes.
      timeout: Duration.seconds(10),
      memorySize: 512,
      environment: {
        ...settingsEnvironment(props.settings),
        DUNNING_TABLE_NAME: props.data.table.tableName,
        DUNNING_WEBHOOK_SECRETS_ARN: this.webhookSecrets.secretArn,
      },
      table: { data: props.data, access: 'read-write' },
    });
    this.webhookSecrets.grantRead(this.handler.role);

    // Auth NONE on purpose: Stripe and Standard Webhooks senders cannot sign AWS SigV4 requests. Every
    // request is authenticated in code instead, by its provider signature over the raw body (HMAC-SHA256
    // with the secret above) and a 300 s timestamp tolerance; unsigned requests get 401.
    this.url = this.handler.function.addFunctionUrl({ authType: FunctionUrlAuthType.NONE });
    Validations.of(this.handler).acknowledge({
      id: 'Serverless::Serverless-LambdaFunctionUrlAuth',
      reason:
        'Public webhook endpoint: providers cannot sign with SigV4, so the function authenticates each request by its provider signature (Stripe-Signature / webhook-signature, HMAC-SHA256 over the body, 300 s tolerance) and answers 401 otherwise.',
    });
  }
}
