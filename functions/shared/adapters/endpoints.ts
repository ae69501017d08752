/**
 * Where the AWS SDK clients point. Locally they talk to the embedded emulators on 127.0.0.1 with
 * throwaway credentials; in AWS they use the default credential chain and region.
 */
export type ServiceEndpoint = { readonly kind: 'aws' } | { readonly kind: 'local'; readonly url: string };

/** Static credentials the emulators accept; never valid against AWS. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;
export const LOCAL_REGION = 'us-east-1';

export const localEndpoint = (port: number): ServiceEndpoint => ({
  kind: 'local',
  url: `http://127.0.0.1:${port}`,
});

/**
 * Connection and request time-outs for every SDK client: a hung call fails (and is handled: retried,
 * or the customer recorded as failed) instead of eating the invocation. AWS answers in milliseconds;
 * the local emulators share a laptop's cores with everything else, so they get more room.
 */
/**
 * Sockets per client: above the run's most customers in flight (MAX_CUSTOMERS_IN_FLIGHT, 128), each
 * of which has one call out at a time, so a full pool never queues behind the SDK's default of 50.
 * Free sockets are reused in turn (`fifo`), not the newest first: none sits idle until the server
 * closes it just as a request goes out on it, a reset that leaves a send's outcome unknown.
 */
const SOCKETS = {
  httpAgent: { maxSockets: 256, scheduling: 'fifo' },
  httpsAgent: { maxSockets: 256, scheduling: 'fifo' },
} as const;

export const AWS_TIMEOUTS = {
  connectionTimeout: 3_000,
  requestTimeout: 10_000,
  throwOnRequestTimeout: true,
  ...SOCKETS,
} as const;
export const LOCAL_TIMEOUTS = {
  connectionTimeout: 5_000,
  requestTimeout: 60_000,
  throwOnRequestTimeout: true,
  ...SOCKETS,
} as const;

export const clientOptions = (endpoint: ServiceEndpoint) =>
  endpoint.kind === 'local'
    ? {
        endpoint: endpoint.url,
        region: LOCAL_REGION,
        credentials: LOCAL_CREDENTIALS,
        maxAttempts: 3,
        requestHandler: LOCAL_TIMEOUTS,
      }
    : { requestHandler: AWS_TIMEOUTS };

/** The options of a client that only ever talks to AWS (Scheduler, CloudFormation, Secrets Manager). */
export const awsClientOptions = () => ({ requestHandler: AWS_TIMEOUTS });

/**
 * True when the error says no connection was ever made (refused, or not established in time): the
 * request provably never reached the service.
 */
export const neverConnected = (error: unknown): boolean => {
  const { code, name, message } = (error ?? {}) as { code?: string; name?: string; message?: string };
  if (code === 'ECONNREFUSED') return true;
  return name === 'TimeoutError' && /did not establish a connection/.test(message ?? '');
};
