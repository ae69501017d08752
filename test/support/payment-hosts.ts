import { createPaymentHandler } from '../../functions/payment/create-handler.ts';
import { type OutcomeLogger, outcomeObserver } from '../../functions/payment/observability.ts';
import { createWebhookReceiver, type WebhookLogger } from '../../functions/payment/receive-webhook.ts';
import type { WebhookSecrets } from '../../functions/shared/adapters/secrets/webhook-secrets.ts';
import {
  createPaymentRecorder,
  type PaymentRecorderOptions,
} from '../../functions/shared/composition/payments.ts';
import { loadPolicy } from '../../functions/shared/policy.ts';
import type { TestStore } from './emulators.ts';

/** The payment recorder on the test store, with the shipped policy, in UTC unless a suite says otherwise. */
export const testRecorder = (
  store: TestStore,
  options: Partial<Omit<PaymentRecorderOptions, 'documentClient' | 'tableName'>> = {},
) =>
  createPaymentRecorder({
    documentClient: store.documentClient,
    tableName: store.tableName,
    policy: loadPolicy(),
    defaultTimeZone: 'UTC',
    ...options,
  });

/** The payment Lambda's handler wired as its composition wires it, recording into the test store. */
export const paymentLambda = (
  store: TestStore,
  secrets: WebhookSecrets,
  logger: OutcomeLogger & WebhookLogger,
) => {
  const recorder = testRecorder(store);
  return createPaymentHandler({
    receive: createWebhookReceiver({
      secrets: async () => secrets,
      record: (event) => recorder.record(event),
      observe: outcomeObserver(logger),
      logger,
    }),
  });
};
