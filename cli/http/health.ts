import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** Each probe resolves true when its service answers; it never throws. */
export interface HealthProbes {
  store(): Promise<boolean>;
  mail(): Promise<boolean>;
}

export interface HealthReport {
  readonly status: 'ok' | 'degraded';
  readonly store: { readonly reachable: boolean };
  readonly mail: { readonly reachable: boolean };
}

const PROBE_TIMEOUT_MS = 2_000;

const settle = async (probe: () => Promise<boolean>): Promise<boolean> => {
  try {
    return await probe();
  } catch {
    return false;
  }
};

export const healthReport = async (probes: HealthProbes): Promise<HealthReport> => {
  const [store, mail] = await Promise.all([settle(() => probes.store()), settle(() => probes.mail())]);
  return {
    status: store && mail ? 'ok' : 'degraded',
    store: { reachable: store },
    mail: { reachable: mail },
  };
};

/** The store is reachable when the ledger table answers a DescribeTable (cheap, reads no item). */
export const storeProbe =
  (client: DynamoDBClient, tableName: string): HealthProbes['store'] =>
  async () => {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }), {
      abortSignal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    });
    return Table?.TableStatus === 'ACTIVE';
  };

/** aws-ses-v2-local answers its own `/health-check` with 200. */
export const mailProbe =
  (sesUrl: string): HealthProbes['mail'] =>
  async () => {
    const response = await fetch(`${sesUrl}/health-check`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    await response.body?.cancel();
    return response.ok;
  };
