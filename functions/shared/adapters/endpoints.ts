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

export const clientOptions = (endpoint: ServiceEndpoint) =>
  endpoint.kind === 'local'
    ? { endpoint: endpoint.url, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, maxAttempts: 3 }
    : {};
