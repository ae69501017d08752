import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDynamoClient } from '../../functions/shared/adapters/dynamodb/client.ts';
import { ensureTables } from '../../functions/shared/adapters/dynamodb/create-tables.ts';
import { localEndpoint, type ServiceEndpoint } from '../../functions/shared/adapters/endpoints.ts';
import type { LocalConfig } from '../../functions/shared/config.ts';
import { LOCAL_TABLE_NAME, ledgerTable } from '../../functions/shared/tables.ts';
import type { StartingPortfolio, TableState } from './dev-stack.ts';
import type { Cleanups } from './dev-work.ts';
import { startDynamoEmulator } from './dynamodb-emulator.ts';
import { listening, type NamedPort } from './ports.ts';

export interface DevStore {
  readonly url: string;
  readonly dynamo: DynamoDBClient;
  readonly dynamoEndpoint: ServiceEndpoint;
  readonly tableName: string;
  readonly tables: readonly TableState[];
  readonly portfolio: StartingPortfolio;
  /** The marker of a demo seed the store is still owed. */
  readonly seedPending: string;
}

/**
 * The data dir's store, started on its port with its table made if missing, and what it holds as the
 * stack comes up. Its closes go on `cleanups`.
 */
export const openDevStore = async (
  config: LocalConfig,
  dataDir: string,
  port: NamedPort,
  cleanups: Cleanups,
): Promise<DevStore> => {
  // A new store owes the demo seed until the seed step is done, also to the start after a first
  // start that was killed before then (its tables exist by then, so they no longer tell).
  const storePath = join(dataDir, 'dynamodb');
  const seedPending = join(dataDir, 'demo-seed.pending');
  const demo = config.DUNNING_DEMO === 'on';
  if (!existsSync(storePath) && demo) writeFileSync(seedPending, '');
  // Started empty once, the store is the user's: a later start with the demo on does not seed into it.
  if (!demo) rmSync(seedPending, { force: true });
  const store = await listening(() => startDynamoEmulator(port.port, storePath), port);
  cleanups.push(() => store.stop());
  const dynamoEndpoint = localEndpoint(store.port);
  const dynamo = createDynamoClient(dynamoEndpoint);
  cleanups.push(() => dynamo.destroy());
  const tableName = config.DUNNING_TABLE_NAME ?? LOCAL_TABLE_NAME;
  const created = await ensureTables(dynamo, [{ definition: ledgerTable, tableName }]);
  const tables: TableState[] = [
    { name: tableName, state: created.includes(tableName) ? 'created' : 'found' },
  ];
  const newStore = tables.some((table) => table.state === 'created') || existsSync(seedPending);
  const portfolio: StartingPortfolio = !newStore ? 'kept' : demo ? 'demo' : 'empty';
  return { url: store.url, dynamo, dynamoEndpoint, tableName, tables, portfolio, seedPending };
};
