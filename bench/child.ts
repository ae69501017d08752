import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** A bench script (TypeScript, through tsx) in a child process, with an IPC channel it can watch. */
export const spawnBenchScript = (
  script: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
) =>
  spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL(script, import.meta.url)), ...args], {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    env,
  });

/** The first line the child prints on stdout; rejects if it exits first. */
export const firstLine = (child: ChildProcess): Promise<string> =>
  new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const end = output.indexOf('\n');
      if (end >= 0) {
        child.stdout?.off('data', onData);
        resolve(output.slice(0, end));
      }
    };
    child.stdout?.on('data', onData);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`bench child exited with ${code} before answering`)));
  });

export interface EmulatorProcess {
  readonly port: number;
  readonly url: string;
  stop(): Promise<void>;
}

export const startEmulatorProcess = async (
  kind: 'dynamodb' | 'ses',
  env?: NodeJS.ProcessEnv,
): Promise<EmulatorProcess> => {
  const child = spawnBenchScript('./emulator-process.ts', [kind], env);
  const port = Number(await firstLine(child));
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
};
