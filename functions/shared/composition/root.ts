import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../adapters/dynamodb/client.ts';
import type { ServiceEndpoint } from '../adapters/endpoints.ts';
import type { Settings } from '../config.ts';
import type { Policy } from '../domain/policy.ts';
import type { Clock } from '../domain/ports.ts';

/**
 * The one composition root. `compose` builds what every use case shares (the store's client, the
 * settings, the policy, the clock); one builder per use case (the other files of this folder) wires its adapters onto it. The
 * Lambda handlers, the CLI and `dunning dev` all go through these, so a use case is wired once.
 * Builders are separate modules, not members of one object, so each Lambda bundle carries only the
 * use cases (and SDK clients) its handler builds.
 */
export interface Composition {
  readonly settings: Settings;
  readonly policy: Policy;
  readonly tableName: string;
  readonly documentClient: DynamoDBDocumentClient;
  /** Where mail goes; the client is built by the use cases that send (with SDK retries off). */
  readonly sesEndpoint: ServiceEndpoint;
  readonly clock: Clock;
  close(): void;
}

export interface Connections {
  /**
   * The store: an endpoint, or a client built already (`dunning dev` shares one with its table
   * setup). A document client handed in stays its owner's to close.
   */
  readonly dynamo: ServiceEndpoint | DynamoDBClient | DynamoDBDocumentClient;
  readonly ses: ServiceEndpoint;
  readonly clock?: Clock;
}

export const compose = (settings: Settings, policy: Policy, connections: Connections): Composition => {
  const { dynamo } = connections;
  const shared = dynamo instanceof DynamoDBDocumentClient;
  const documentClient = shared ? dynamo : createDocumentClient(dynamo);
  return {
    settings,
    policy,
    tableName: settings.tableName,
    documentClient,
    sesEndpoint: connections.ses,
    clock: connections.clock ?? (() => new Date()),
    close: () => {
      if (!shared) documentClient.destroy();
    },
  };
};
