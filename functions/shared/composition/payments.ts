import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoPaymentLedger } from '../adapters/dynamodb/payment-ledger.ts';
import { DynamoPaymentReferences } from '../adapters/dynamodb/payment-references.ts';
import { DynamoUnmatchedEvents } from '../adapters/dynamodb/unmatched-events.ts';
import type { PaymentEvent, WebhookOutcome } from '../domain/payments/event.ts';
import type { PaymentDeps, PaymentObserver } from '../domain/payments/ports.ts';
import {
  applyUnmatchedPayments,
  recordPaymentEvent,
  type UnmatchedResult,
} from '../domain/payments/record-payment.ts';
import type { Policy } from '../domain/policy.ts';
import type { Composition } from './root.ts';

export interface PaymentRecorderOptions {
  readonly documentClient: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly policy: Policy;
  /** The deployment's zone (`DUNNING_TIME_ZONE`), for an invoice whose customer is missing. */
  readonly defaultTimeZone: string;
  readonly now?: () => Date;
  readonly observe?: PaymentObserver;
}

export interface PaymentRecorder {
  record(event: PaymentEvent): Promise<WebhookOutcome>;
  /** Applies the events kept for an invoice that was unknown when they arrived; call after importing it. */
  applyUnmatchedPayments(invoiceId: string): Promise<UnmatchedResult[]>;
  readonly ledger: DynamoPaymentLedger;
  readonly unmatched: DynamoUnmatchedEvents;
}

/**
 * The payment domain (domain/payments/record-payment.ts) over its Ledger-table adapters. The import's
 * roll-forward wires it from its own store deps; everything else goes through `buildPaymentRecorder`.
 */
export const createPaymentRecorder = (options: PaymentRecorderOptions): PaymentRecorder => {
  const ledger = new DynamoPaymentLedger(options.documentClient, options.tableName, options.defaultTimeZone);
  const unmatched = new DynamoUnmatchedEvents(options.documentClient, options.tableName);
  const deps: PaymentDeps = {
    ledger,
    references: new DynamoPaymentReferences(options.documentClient, options.tableName),
    unmatched,
    defaultTimeZone: options.defaultTimeZone,
    policy: options.policy,
    now: options.now ?? (() => new Date()),
    ...(options.observe ? { observe: options.observe } : {}),
  };
  return {
    record: (event) => recordPaymentEvent(event, deps),
    applyUnmatchedPayments: (invoiceId) => applyUnmatchedPayments(invoiceId, deps),
    ledger,
    unmatched,
  };
};

/** Payment events (webhooks, the import's unmatched events) onto the store; built once per process. */
export const buildPaymentRecorder = (app: Composition, observe?: PaymentObserver): PaymentRecorder =>
  createPaymentRecorder({
    documentClient: app.documentClient,
    tableName: app.tableName,
    policy: app.policy,
    defaultTimeZone: app.settings.deploymentTimeZone,
    now: app.clock,
    ...(observe ? { observe } : {}),
  });
