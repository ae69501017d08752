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

/** What a bench child answers over IPC: its CPU time, and whatever else it was given. */
type Answers = Readonly<Record<string, () => unknown>>;

/** In a bench child: answers the parent's questions (`askChild`); `cpu` is always among them. */
export const answerRequests = (answers: Answers): void => {
  const all: Answers = { cpu: () => process.cpuUsage(), ...answers };
  process.on('message', (message: { id: number; ask: string }) => {
    process.send?.({ id: message.id, answer: all[message.ask]?.() });
  });
};

let nextQuestion = 0;

/** Asks a bench child (`answerRequests`) one of its questions over IPC. */
export const askChild = <T>(child: ChildProcess, ask: string): Promise<T> =>
  new Promise((resolve, reject) => {
    const id = nextQuestion++;
    const onMessage = (message: { id: number; answer: T }) => {
      if (message.id !== id) return;
      child.off('message', onMessage);
      resolve(message.answer);
    };
    child.on('message', onMessage);
    child.send({ id, ask }, (error) => {
      if (!error) return;
      child.off('message', onMessage);
      reject(error);
    });
  });

export interface EmulatorProcess {
  readonly port: number;
  readonly url: string;
  /** The child's CPU time so far (user and system, microseconds). */
  cpuUsage(): Promise<NodeJS.CpuUsage>;
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
    cpuUsage: () => askChild(child, 'cpu'),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
};
