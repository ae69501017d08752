import { describe, expect, it } from 'vitest';
import { createDocumentClient, createDynamoClient } from '../../functions/shared/adapters/dynamodb/client.ts';
import { localEndpoint } from '../../functions/shared/adapters/endpoints.ts';
import { createSendingClient, createSesClient } from '../../functions/shared/adapters/ses/client.ts';

/**
 * The store and mail clients every use case shares carry no SDK logger middleware (it copied and
 * masked each request and response for a logger that logs nothing), and keep every other step:
 * retries, signing, serialisation.
 */
describe('SDK clients', () => {
  const endpoint = localEndpoint(1);
  const clients = {
    dynamo: createDynamoClient(endpoint),
    document: createDocumentClient(endpoint),
    ses: createSesClient(endpoint),
    sending: createSendingClient(endpoint),
  };

  it.each(Object.entries(clients))('%s: no logger middleware, the rest of the stack kept', (_, client) => {
    const stack = client.middlewareStack.identify();
    expect(stack.filter((step) => step.startsWith('loggerMiddleware'))).toEqual([]);
    for (const kept of [
      'retryMiddleware',
      'serializerMiddleware',
      'deserializerMiddleware',
      'httpSigningMiddleware',
    ])
      expect(stack.some((step) => step.startsWith(kept))).toBe(true);
    client.destroy();
  });
});
