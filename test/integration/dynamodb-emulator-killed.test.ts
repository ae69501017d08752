import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { startDynamoEmulator } from '../../cli/local/dynamodb-emulator.ts';
import { createDynamoClient } from '../../functions/shared/adapters/dynamodb/client.ts';
import { ensureTables } from '../../functions/shared/adapters/dynamodb/create-tables.ts';
import { localEndpoint } from '../../functions/shared/adapters/endpoints.ts';
import { ledgerTable } from '../../functions/shared/tables.ts';

/** A process that creates a table in dynalite and is SIGKILLed before dynalite marks it ACTIVE. */
const KILLED_WHILE_CREATING = `
import dynalite from 'dynalite';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
const server = dynalite({ createTableMs: 60000, path: process.argv[1] });
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const client = new DynamoDBClient({
  endpoint: 'http://127.0.0.1:' + server.address().port,
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});
await client.send(new CreateTableCommand(JSON.parse(process.argv[2])));
process.kill(process.pid, 'SIGKILL');
`;

describe('the local store of a process killed while creating its table', () => {
  let folder: string | undefined;
  afterEach(async () => {
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it('opens again with a usable table instead of one stuck CREATING', async () => {
    // Prepare
    folder = await mkdtemp(join(tmpdir(), 'dunning-stuck-table-'));
    const path = join(folder, 'dynamodb');
    const { createTableInput } = await import('../../functions/shared/adapters/dynamodb/create-tables.ts');
    const input = JSON.stringify(createTableInput(ledgerTable, 'dunning-ledger'));
    const killed = spawn(
      process.execPath,
      ['--input-type=module', '-e', KILLED_WHILE_CREATING, path, input],
      {
        stdio: 'ignore',
      },
    );
    const signal = await new Promise((resolve) => killed.once('exit', (_code, how) => resolve(how)));

    // Act
    const emulator = await startDynamoEmulator(0, path);
    const client = createDynamoClient(localEndpoint(emulator.port));
    try {
      const created = await ensureTables(client, [{ definition: ledgerTable, tableName: 'dunning-ledger' }]);
      const { Table } = await client.send(new DescribeTableCommand({ TableName: 'dunning-ledger' }));

      // Assess
      expect(signal).toBe('SIGKILL');
      expect(created).toEqual(['dunning-ledger']);
      expect(Table?.TableStatus).toBe('ACTIVE');
    } finally {
      client.destroy();
      await emulator.stop();
    }
  });
});
