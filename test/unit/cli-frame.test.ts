import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { action } from '../../cli/command.ts';
import { buildProgram, main } from '../../cli/main.ts';
import { notBuilt } from '../../cli/not-built.ts';
import { reportError } from '../../cli/output.ts';
import {
  NotImplementedError,
  ServiceUnavailableError,
  UserInputError,
} from '../../functions/shared/errors.ts';

const DOCUMENTED_COMMANDS = [
  'dev',
  'import',
  'run',
  'show',
  'preview',
  'report',
  'pause',
  'resume',
  'invoices',
  'customers',
  'demo',
  'interest',
  'runs',
  'waive',
];

describe('CLI frame', () => {
  let stdout: MockInstance;
  let stderr: MockInstance;
  const written = (spy: MockInstance) => spy.mock.calls.map((call) => String(call[0])).join('');
  // Commander calls an action with (...arguments, options, command); a not-built action ignores them.
  const invoke = (run: () => Promise<number>, options: { json?: boolean }) =>
    (action(run) as (...args: unknown[]) => Promise<void>)(options, {});

  beforeEach(() => {
    stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  });

  it('registers every documented command', () => {
    const names = buildProgram().commands.map((command) => command.name());

    // Beyond the first command table: per-invoice disputes (issue 7), resolving held invoices (issue 6).
    expect(names.toSorted()).toEqual([...DOCUMENTED_COMMANDS, 'dispute', 'undispute', 'resolve'].toSorted());
  });

  it.each(DOCUMENTED_COMMANDS)('prints the help of "%s" with --json and --aws and exits 0', async (name) => {
    const code = await main(['node', 'dunning', name, '--help']);

    expect(code).toBe(0);
    expect(written(stdout)).toContain(`Usage: dunning ${name}`);
    expect(written(stdout)).toContain('--json');
    expect(written(stdout)).toContain('--aws');
  });

  it('says a command is not built yet in one line and exits 1', async () => {
    await invoke(notBuilt('show', 5), {});

    expect(process.exitCode).toBe(1);
    expect(written(stderr)).toBe('dunning: "dunning show" is not built yet (tracked in issue 5).\n');
    expect(written(stdout)).toBe('');
  });

  it('prints only one JSON document {error} for a user error with --json', async () => {
    await invoke(notBuilt('report', 7), { json: true });

    expect(process.exitCode).toBe(1);
    expect(JSON.parse(written(stdout))).toEqual({
      error: '"dunning report" is not built yet (tracked in issue 7).',
    });
    expect(written(stderr)).toBe('');
  });

  it('adds the details of a user error to its JSON document', () => {
    const error = Object.assign(new UserInputError('2 rows are invalid'), {
      details: { errors: [{ row: 2 }] },
    });

    const code = reportError(error, { json: true }, error.details);

    expect(code).toBe(1);
    expect(JSON.parse(written(stdout))).toEqual({ error: '2 rows are invalid', errors: [{ row: 2 }] });
  });

  it('treats a busy local service as the user’s to fix (exit 1) and anything else as unexpected (exit 2)', () => {
    const busy = reportError(new ServiceUnavailableError('port 8000 (DUNNING_DYNAMODB_PORT) is in use'), {});
    const bug = reportError(new TypeError('x is undefined'), {});

    expect(busy).toBe(1);
    expect(bug).toBe(2);
    expect(written(stderr)).toBe(
      'dunning: port 8000 (DUNNING_DYNAMODB_PORT) is in use\ndunning: Unexpected error: x is undefined\n',
    );
  });

  it('keeps NotImplementedError a user error', () => {
    expect(reportError(new NotImplementedError('later'), {})).toBe(1);
  });
});
