import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningLocalServer } from '../../cli/local/loopback-server.ts';
import { PortTaken, startDynamoDbLocal } from '../support/dynamodb-local.ts';

describe('DynamoDB Local for a suite', () => {
  let first: RunningLocalServer;
  beforeAll(async () => {
    first = await startDynamoDbLocal();
  });
  afterAll(() => first.stop());

  it('is not taken as up when another instance answers on its port', async () => {
    // Prepare: a JVM already answers on the port, as another worker's can when both picked it.

    // Act: a second JVM on that port; the first answers while the second boots, then it fails to bind.
    const second = startDynamoDbLocal({ port: first.port });

    // Assess: the start fails as a lost port, so a free port is tried again, never "started".
    await expect(second).rejects.toBeInstanceOf(PortTaken);
  });

  it('starts a second instance beside it on a free port of its own', async () => {
    // Act
    const other = await startDynamoDbLocal();

    // Assess
    expect(other.port).not.toBe(first.port);
    await other.stop();
  });
});
