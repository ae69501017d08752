import { createHttpApp } from '../cli/http/app.ts';
import { mailProbe, storeProbe } from '../cli/http/health.ts';
import { startHttpServer } from '../cli/http/server.ts';
import { localWebhookRoutes } from '../cli/http/webhook-routes.ts';
import { createDocumentClient, createDynamoClient } from '../functions/shared/adapters/dynamodb/client.ts';
import { localEndpoint } from '../functions/shared/adapters/endpoints.ts';
import { composeLocal } from '../functions/shared/composition/local.ts';
import { loadConfig, localConfigSchema } from '../functions/shared/config.ts';
import { answerRequests } from './child.ts';
import { meterStore } from './metering.ts';

/**
 * The local webhook server (`createHttpApp` with `localWebhookRoutes`, as `dunning dev` mounts them)
 * in a process of its own, on a free port printed as one line: in AWS the provider's sender is not
 * in the function's process, so the bench's signing client must not share this event loop. Argv:
 * the store's port, the SES emulator's port, the table; the signing secrets come in the environment.
 * Over IPC it answers its store meter (reset, round trips) and its CPU time.
 */
const [storePort, sesPort, tableName] = process.argv.slice(2) as [string, string, string];
const dynamo = createDynamoClient(localEndpoint(Number(storePort)));
const metering = meterStore(dynamo);
const documentClient = createDocumentClient(dynamo);
const secrets = {
  stripe: process.env.BENCH_STRIPE_SECRET ?? '',
  payments: process.env.BENCH_PAYMENTS_SECRET ?? '',
};
const quiet = { info: () => undefined, warn: () => undefined };
const app = composeLocal(loadConfig(localConfigSchema, {}), tableName, {
  dynamo: documentClient,
  ses: localEndpoint(Number(sesPort)),
});
const server = await startHttpServer(
  createHttpApp({
    probes: { store: storeProbe(dynamo, tableName), mail: mailProbe(`http://127.0.0.1:${sesPort}`) },
    extraRoutes: localWebhookRoutes(app, secrets, quiet),
  }),
  0,
);
answerRequests({
  resetMeter: () => metering.reset(),
  roundTrips: () => metering.snapshot().roundTrips,
});
process.stdout.write(`${server.url}\n`);
process.on('disconnect', () => {
  void server.stop().then(() => process.exit(0));
});
