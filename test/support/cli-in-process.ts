import { vi } from 'vitest';
import { main } from '../../cli/main.ts';
import type { TestStore } from './emulators.ts';

/** Points the in-process CLI at a test store, as a shell's environment would. */
export const useStore = (store: TestStore, extra: Record<string, string> = {}): void => {
  Object.assign(process.env, {
    DUNNING_DYNAMODB_PORT: String(store.port),
    DUNNING_TABLE_NAME: store.tableName,
    DUNNING_TARGET: 'local',
    ...extra,
  });
};

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** The one JSON document, when `--json` was given; tests read whatever fields the command prints. */
  // biome-ignore lint/suspicious/noExplicitAny: a test asserts on the document's fields as printed
  readonly json: any;
}

/** Runs `dunning ...` in this process and captures what it printed. */
export const dunning = async (...args: string[]): Promise<CliResult> => {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  try {
    const code = await main(['node', 'dunning', ...args]);
    return { code, stdout, stderr, json: args.includes('--json') ? JSON.parse(stdout) : undefined };
  } finally {
    out.mockRestore();
    err.mockRestore();
    process.exitCode = undefined;
  }
};

/** Every page of a listing (`invoices` or `customers`), following `next` until it is null. */
export const allPages = async (listing: 'invoices' | 'customers', ...args: string[]) => {
  const lines: Record<string, unknown>[] = [];
  let next: string | null = null;
  let pages = 0;
  do {
    const { code, json } = await dunning(listing, ...args, '--json', ...(next ? ['--next', next] : []));
    if (code !== 0) throw new Error(`dunning ${listing} exited ${code}: ${JSON.stringify(json)}`);
    lines.push(...json[listing]);
    next = json.next;
    pages += 1;
  } while (next);
  return { lines, pages };
};
