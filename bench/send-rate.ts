import type { SESv2Client } from '@aws-sdk/client-sesv2';
import { createLocalRun } from '../functions/run/local.ts';
import { createDocumentClient, createDynamoClient } from '../functions/shared/adapters/dynamodb/client.ts';
import { localEndpoint } from '../functions/shared/adapters/endpoints.ts';
import { createSendingClient } from '../functions/shared/adapters/ses/client.ts';
import { SesMailer } from '../functions/shared/adapters/ses/mailer.ts';
import { composeLocal } from '../functions/shared/composition/local.ts';
import type { LocalConfig } from '../functions/shared/config.ts';
import type { RunSummary } from '../functions/shared/domain/run/summary.ts';
import { injectLatency, type MiddlewareClient } from './latency.ts';

/** When each message the provider accepted came back: the rate is read off these. */
const timeSends = (client: SESv2Client): number[] => {
  const accepted: number[] = [];
  (client as unknown as MiddlewareClient).middlewareStack.addRelativeTo(
    (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) =>
      async (args: unknown) => {
        const result = await next(args);
        if (context.commandName === 'SendEmailCommand') accepted.push(performance.now());
        return result;
      },
    { relation: 'before', toMiddleware: 'retryMiddleware', name: 'benchSendTimes', override: true },
  );
  return accepted;
};

export interface SendRateMeasure {
  readonly quota: number;
  readonly summary: RunSummary;
  /** Messages accepted per second, from the first acceptance to the last. */
  readonly perSecond: number;
  readonly seconds: number;
  readonly wallSeconds: number;
}

/**
 * One real local run against an SES account whose quota is `quota` sends per second, every store
 * and mail call slowed to AWS-like latencies (bench/latency.ts). The rate is counted between the
 * first and the last message accepted: the due-index read before the first send is the same at any
 * quota and is reported apart (`wallSeconds`).
 */
export const measureSendRate = async (options: {
  readonly config: LocalConfig;
  readonly storePort: number;
  readonly sesPort: number;
  readonly tableName: string;
  readonly quota: number;
  readonly asOf: Date;
  readonly seed: number;
}): Promise<SendRateMeasure> => {
  const dynamo = createDynamoClient(localEndpoint(options.storePort));
  injectLatency(dynamo, { seed: options.seed });
  const documentClient = createDocumentClient(dynamo);
  const ses = createSendingClient(localEndpoint(options.sesPort));
  injectLatency(ses as unknown as MiddlewareClient, { seed: options.seed + 1 });
  const accepted = timeSends(ses);
  const local = createLocalRun(
    composeLocal(options.config, options.tableName, {
      dynamo: documentClient,
      ses: localEndpoint(options.sesPort),
    }),
    {},
    { mailer: new SesMailer(ses, { from: options.config.DUNNING_FROM }) },
  );
  const started = performance.now();
  try {
    const { summary } = await local.runAll({ asOf: options.asOf });
    const wallSeconds = (performance.now() - started) / 1000;
    const first = accepted[0] ?? 0;
    const last = accepted.at(-1) ?? 0;
    const seconds = (last - first) / 1000;
    return {
      quota: options.quota,
      summary,
      perSecond: accepted.length > 1 ? (accepted.length - 1) / seconds : 0,
      seconds,
      wallSeconds,
    };
  } finally {
    local.close();
    ses.destroy();
    documentClient.destroy();
  }
};
