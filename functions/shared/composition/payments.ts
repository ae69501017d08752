import { createPaymentRecorder } from '../adapters/dynamodb/payment-recorder.ts';
import type { PaymentObserver } from '../domain/payments/ports.ts';
import type { Composition } from './root.ts';

/** Payment events (webhooks, the import's unmatched events) onto the store. */
export const buildPaymentRecorder = (app: Composition, observe?: PaymentObserver) =>
  createPaymentRecorder({
    documentClient: app.documentClient,
    tableName: app.tableName,
    policy: app.policy,
    defaultTimeZone: app.settings.deploymentTimeZone,
    now: app.clock,
    ...(observe ? { observe } : {}),
  });
