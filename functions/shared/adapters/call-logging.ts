/** Any SDK v3 client: only its middleware stack is touched. */
interface StackedClient {
  readonly middlewareStack: { remove(toRemove: string): boolean };
}

/**
 * Takes the SDK's logger middleware off a client. No client here is given a logger, so the SDK logs
 * to its no-op logger; yet that middleware still builds, on every call, a copy of the request and of
 * the response with sensitive members masked, walking the operation's schema, only to hand both to
 * the no-op. On the run's hot path (four store calls and a send per reminder, the send carrying the
 * whole email) that was about 0.1 ms of CPU per reminder in the profile, for nothing logged. What
 * the product logs, it logs itself (Powertools in Lambda); errors still reach the caller unchanged.
 */
export const withoutCallLogging = <Client extends StackedClient>(client: Client): Client => {
  client.middlewareStack.remove('loggerMiddleware');
  return client;
};
