import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/** The real `dunning` entry, run as a user runs it. */
export const DUNNING_BIN = fileURLToPath(new URL('../../cli/dunning.mjs', import.meta.url));

/**
 * The environment a child CLI gets: the parent's without any DUNNING_* setting or webhook secret (a
 * developer's shell must not change what the test sees), and without the switch that silences the
 * SDK's Node version warning, so the test proves the CLI silences it itself.
 */
export const cliEnv = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (name.startsWith('DUNNING_') || name.endsWith('_WEBHOOK_SECRET')) continue;
    if (name === 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED' || name === 'AWS_SES_ACCOUNT') continue;
    env[name] = value;
  }
  // The test's own data dir (test/support/data-dir.ts), so the child writes no `.dunning/` in the tree.
  const dataDir = process.env.DUNNING_DATA_DIR ? { DUNNING_DATA_DIR: process.env.DUNNING_DATA_DIR } : {};
  return { ...env, ...dataDir, ...extra };
};

export interface Finished {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI to completion. */
export const runCli = (args: readonly string[], env: NodeJS.ProcessEnv = cliEnv()): Promise<Finished> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [DUNNING_BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });

/** A long-running CLI (`dunning dev`) whose output can be awaited line by line. */
export interface RunningCli {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves when stdout matches, rejects after `timeoutMs` or when the process ends first. */
  waitForOutput(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit; rejects after `timeoutMs`. */
  exited(timeoutMs: number): Promise<Finished>;
}

export const startCli = (args: readonly string[], env: NodeJS.ProcessEnv): RunningCli => {
  const child = spawn(process.execPath, [DUNNING_BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const listener of listeners) listener();
  };
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
    notify();
  });
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const closed = new Promise<Finished>((resolve) => {
    child.once('close', (code, signal) => {
      resolve({ code, signal, stdout, stderr });
      notify();
    });
  });
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    waitForOutput: (pattern, timeoutMs) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const match = stdout.match(pattern);
          if (match) {
            done();
            resolve(match);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            done();
            reject(new Error(`dunning ended before printing ${pattern}:\n${stdout}\n${stderr}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`no ${pattern} within ${timeoutMs} ms:\n${stdout}\n${stderr}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      }),
    exited: (timeoutMs) =>
      Promise.race([
        closed,
        new Promise<never>((_, reject) =>
          setTimeout(
            () => reject(new Error(`dunning did not exit within ${timeoutMs} ms`)),
            timeoutMs,
          ).unref(),
        ),
      ]),
  };
};

const FIRST_PORT = 10_000;
const DEFAULT_EPHEMERAL_START = 32_768;

/** Where the kernel's own port choices start (for `listen(0)` and outgoing connections). */
const ephemeralStart = (): number => {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').split(/\s+/)[0]);
    return Number.isInteger(low) && low > FIRST_PORT + 1_000 ? low : DEFAULT_EPHEMERAL_START;
  } catch {
    return DEFAULT_EPHEMERAL_START;
  }
};
const bindable = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '0.0.0.0', () => server.close(() => resolve(true)));
  });

/**
 * A port nothing listens on right now, for a process started next to bind. It is chosen below the
 * kernel's ephemeral range: a port the OS handed out itself could be handed out again, to an emulator
 * on port 0 or an outgoing connection, in the seconds before the child binds it.
 */
export const freePort = async (): Promise<number> => {
  const end = ephemeralStart();
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = FIRST_PORT + Math.floor(Math.random() * (end - FIRST_PORT));
    if (await bindable(port)) return port;
  }
  throw new Error(`no free port found between ${FIRST_PORT} and ${end}`);
};

/** Lines that betray an unhandled error or the SDK's warning; a user must never see them. */
export const noiseIn = (text: string): string[] =>
  text.split('\n').filter((line) => /^\s{4}at /.test(line) || line.includes('NodeVersionSupportWarning'));
