import { randomBytes } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoAnswerLedger } from '../shared/adapters/dynamodb/answer-store.ts';
import { wireCustomerCare } from '../shared/composition/customer-care.ts';
import { answerEmails } from '../shared/domain/answers/emails.ts';
import { CustomerAnswers } from '../shared/domain/answers/respond.ts';
import type { Policy } from '../shared/domain/policy.ts';
import type { Clock, Mailer } from '../shared/domain/ports.ts';
import { createRespondReceiver, type RespondLogger } from './receive.ts';

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
