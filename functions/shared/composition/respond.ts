import { randomBytes } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createRespondReceiver, type RespondLogger } from '../../respond/receive.ts';
import { DynamoAnswerLedger } from '../adapters/dynamodb/answer-store.ts';
import type { Settings } from '../config.ts';
import { answerEmails } from '../domain/answers/emails.ts';
import { CustomerAnswers } from '../domain/answers/respond.ts';
import type { Policy } from '../domain/policy.ts';
import type { Clock, Mailer } from '../domain/ports.ts';
import { wireCustomerCare } from './customer-care.ts';
import { buildMailer } from './mailer.ts';
import type { Composition } from './root.ts';

export interface RespondWiring {
  readonly documentClient: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly mailer: Mailer;
  readonly policy: Policy;
  /** Resolves the key answer links are signed with (Secrets Manager in AWS, the data dir locally). */
  readonly linkKey: () => Promise<string>;
  /** Base of the answer link when a request does not say where it came (the local HTTP server). */
  readonly publicUrl?: string;
  readonly paymentUrlTemplate: string;
  readonly defaultTimeZone: string;
  readonly logger: RespondLogger;
  readonly clock?: Clock;
}

/** Sorts after the answer's instant in its key; random, so two answers in one millisecond never collide. */
export const newAnswerId = (): string => randomBytes(6).toString('hex');

/** The `/respond` receiver on a store and a mailer: one graph for the function URL and `dunning dev`. */
export const createRespond = (wiring: RespondWiring) => {
  const clock = wiring.clock ?? (() => new Date());
  const { documentClient, tableName, policy } = wiring;
  const answers = new CustomerAnswers({
    ledger: new DynamoAnswerLedger(documentClient, tableName, clock),
    care: wireCustomerCare({
      client: documentClient,
      tableName,
      policy,
      defaultTimeZone: wiring.defaultTimeZone,
      clock,
    }),
    mailer: wiring.mailer,
    emails: answerEmails(policy, wiring.publicUrl),
    policy,
    linkKey: wiring.linkKey,
    clock,
    newAnswerId,
    logger: wiring.logger,
  });
  return createRespondReceiver({
    answers,
    policy,
    paymentUrlTemplate: wiring.paymentUrlTemplate,
    logger: wiring.logger,
  });
};

/** Where answer links point when a request does not say where it came: the respond URL, else the public one. */
const answerBase = (settings: Settings): string | undefined => settings.respondUrl ?? settings.publicUrl;

/** The `/respond` receiver: customers' answers from the reminders' links. */
export const buildRespond = (
  app: Composition,
  wiring: Pick<RespondWiring, 'linkKey' | 'logger'> & Partial<Pick<RespondWiring, 'mailer'>>,
) =>
  createRespond({
    documentClient: app.documentClient,
    tableName: app.tableName,
    mailer: wiring.mailer ?? buildMailer(app).mailer,
    policy: app.policy,
    linkKey: wiring.linkKey,
    ...(answerBase(app.settings) ? { publicUrl: answerBase(app.settings) } : {}),
    paymentUrlTemplate: app.settings.paymentUrlTemplate,
    defaultTimeZone: app.settings.deploymentTimeZone,
    logger: wiring.logger,
    clock: app.clock,
  });
