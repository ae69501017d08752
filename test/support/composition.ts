import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { localEndpoint } from '../../functions/shared/adapters/endpoints.ts';
import { composeLocal } from '../../functions/shared/composition/local.ts';
import { type LocalConfig, loadConfig, localConfigSchema } from '../../functions/shared/config.ts';
import type { TestMailbox, TestStore } from './emulators.ts';

export interface TestCompositionOptions {
  /** Where mail goes; a suite that sends nothing has none (the endpoint is never dialled). */
  readonly mailbox?: TestMailbox;
  /** Another client on the store's table (one that cannot reach it, for the page a failure gets). */
  readonly documentClient?: DynamoDBDocumentClient;
  /** Settings over the local defaults, as the environment would set them. */
  readonly config?: Partial<LocalConfig>;
}

/** The composition `dunning dev` builds, on the suite's store: the local settings, the shipped policy. */
export const testComposition = (store: TestStore, options: TestCompositionOptions = {}) =>
  composeLocal({ ...loadConfig(localConfigSchema, {}), ...options.config }, store.tableName, {
    dynamo: options.documentClient ?? store.documentClient,
    ses: options.mailbox?.endpoint ?? localEndpoint(1),
  });
