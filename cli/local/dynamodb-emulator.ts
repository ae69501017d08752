import { rmSync } from 'node:fs';
import { DescribeTableCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { createDynamoClient } from '../../functions/shared/adapters/dynamodb/client.ts';
import { localEndpoint } from '../../functions/shared/adapters/endpoints.ts';
import { listenOnLoopback, type RunningLocalServer, runningOnLoopback } from './loopback-server.ts';

const listen = async (port: number, path?: string): Promise<RunningLocalServer> => {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, path });
  await listenOnLoopback(server, port);
  // dynalite closes its LevelDB when the server closes, so a stop flushes the store before exit.
  return runningOnLoopback(server);
};

/** True when the store has tables and every one of them is still `CREATING`. */
const onlyUnfinishedTables = async (port: number): Promise<boolean> => {
  const client = createDynamoClient(localEndpoint(port));
  try {
    const { TableNames = [] } = await client.send(new ListTablesCommand({}));
    if (TableNames.length === 0) return false;
    for (const TableName of TableNames) {
      const { Table } = await client.send(new DescribeTableCommand({ TableName }));
      if (Table?.TableStatus !== 'CREATING') return false;
    }
    return true;
  } finally {
    client.destroy();
  }
};

/**
 * Starts dynalite on 127.0.0.1. With a path its LevelDB data survives a restart; without one it is
 * in memory (tests).
 */
export const startDynamoEmulator = async (port: number, path?: string): Promise<RunningLocalServer> => {
  const emulator = await listen(port, path);
  if (!path || !(await onlyUnfinishedTables(emulator.port))) return emulator;
  // dynalite writes a new table as CREATING, then ACTIVE a moment later from a timer: a process killed
  // in between leaves a table that never becomes active and can be neither used nor deleted. Nothing
  // can be written to a table before it is active, so such a store holds no data: start it afresh.
  await emulator.stop();
  rmSync(path, { recursive: true, force: true });
  return listen(emulator.port, path);
};
