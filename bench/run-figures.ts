import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { type DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createLocalRun } from '../functions/run/local.ts';
import type { ServiceEndpoint } from '../functions/shared/adapters/endpoints.ts';
import { createSendingClient } from '../functions/shared/adapters/ses/client.ts';
import { composeLocal } from '../functions/shared/composition/local.ts';
import type { LocalConfig } from '../functions/shared/config.ts';
import type { RunSummary } from '../functions/shared/domain/run/summary.ts';
import type { Metering, StoreMeter } from './metering.ts';

export interface RunMeasure {
  readonly summary: RunSummary;
  readonly seconds: number;
  readonly store: StoreMeter;
}

/** One real local run (`dunning run` minus the CLI) as of `asOf`, its store traffic counted. */
export const measureRun = async (options: {
  readonly config: LocalConfig;
  readonly tableName: string;
  readonly documentClient: DynamoDBDocumentClient;
  readonly metering: Metering;
  readonly sesEndpoint: ServiceEndpoint;
  readonly asOf: Date;
}): Promise<RunMeasure> => {
  const local = createLocalRun(
    composeLocal(options.config, options.tableName, {
      dynamo: options.documentClient,
      ses: options.sesEndpoint,
    }),
  );
  options.metering.reset();
  const started = performance.now();
  try {
    const { summary } = await local.runAll({ asOf: options.asOf });
    return { summary, seconds: (performance.now() - started) / 1000, store: options.metering.snapshot() };
  } finally {
    local.close();
  }
};

export interface SampleEmail {
  readonly from: string;
  readonly subject: string;
  readonly html: string;
  readonly text: string;
}

/**
 * The least I/O one reminder can cost, done directly with the SDK: a conditional write that claims
 * it (what makes "never two emails" hold across crashes and concurrent runs), the SES v2 send, and
 * one write recording the message id. Same clients, same emulators, same message size and the same
 * number in flight as the run; what is left out is everything the run decides.
 */
export const measureFloor = async (options: {
  readonly documentClient: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly sesEndpoint: ServiceEndpoint;
  readonly email: SampleEmail;
  readonly reminders: number;
  readonly inFlight: number;
}): Promise<{ perSecond: number; seconds: number }> => {
  const ses = createSendingClient(options.sesEndpoint);
  const { documentClient, tableName, email } = options;
  const one = async (number: number) => {
    const pk = `BENCHFLOOR#${number}`;
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { pk, sk: 'CLAIM' },
        UpdateExpression: 'SET claimedAt = :now',
        ConditionExpression: 'attribute_not_exists(claimedAt)',
        ExpressionAttributeValues: { ':now': new Date().toISOString() },
      }),
    );
    const sent = await ses.send(
      new SendEmailCommand({
        FromEmailAddress: email.from,
        Destination: { ToAddresses: [`floor+${number}@customer.example`] },
        Content: {
          Simple: {
            Subject: { Data: email.subject, Charset: 'UTF-8' },
            Body: {
              Html: { Data: email.html, Charset: 'UTF-8' },
              Text: { Data: email.text, Charset: 'UTF-8' },
            },
          },
        },
      }),
    );
    await documentClient.send(
      new PutCommand({
        TableName: tableName,
        Item: { pk, sk: 'SENT', messageId: sent.MessageId, sentAt: new Date().toISOString() },
      }),
    );
  };
  let next = 0;
  const started = performance.now();
  try {
    await Promise.all(
      Array.from({ length: options.inFlight }, async () => {
        while (next < options.reminders) await one(next++);
      }),
    );
  } finally {
    ses.destroy();
  }
  const seconds = (performance.now() - started) / 1000;
  return { perSecond: options.reminders / seconds, seconds };
};
