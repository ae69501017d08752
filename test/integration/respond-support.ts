import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { localRespondRoutes } from '../../cli/http/respond-routes.ts';
import type { RunningHttpServer } from '../../cli/http/server.ts';
import { testComposition } from '../support/composition.ts';
import type { TestMailbox, TestStore } from '../support/emulators.ts';
import { serveRoutes } from '../support/local-server.ts';
import { buildRun, settings } from './run-support.ts';

const silent = { info: () => {}, warn: () => {} };

/** The answer page's routes exactly as `dunning dev` mounts them, on the suite's store and mailbox. */
export const serveRespondPage = async (
  store: TestStore,
  mailbox: TestMailbox,
  answerKey: string,
  /** Another client on the store's table (one that cannot reach it, for the page a failure gets). */
  documentClient: DynamoDBDocumentClient = store.documentClient,
): Promise<RunningHttpServer> =>
  serveRoutes(
    await localRespondRoutes(
      testComposition(store, {
        mailbox,
        documentClient,
        config: {
          DUNNING_HTTP_PORT: 1,
          DUNNING_PAYMENT_URL: settings.paymentUrlTemplate,
          DUNNING_FROM: settings.from,
        },
      }),
      { answers: answerKey },
      silent,
    ),
  );

/** A dunning run with the product's own templates, its reminders carrying answer links to `server`. */
export const remindWithAnswerLinks = async (
  store: TestStore,
  mailbox: TestMailbox,
  server: RunningHttpServer,
  answerKey: string,
  asOf: Date,
) => {
  const { run, close } = buildRun(store, mailbox, {
    settings: { ...settings, publicUrl: server.url, answerLinkSecret: answerKey },
    render: undefined,
  });
  try {
    return await run.run({ asOf });
  } finally {
    close();
  }
};
