import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cliEnv, DUNNING_BIN, freePort, noiseIn, runCli } from './cli-process.ts';

// Each spawn costs about half a second of CPU: the per-command checks run in-process in
// test/unit/cli-frame.test.ts; this file proves the real binary behaves the same.
describe('The dunning binary', () => {
  it('prints help listing every command and exits 0', async () => {
    const { code, stdout, stderr } = await runCli(['--help']);

    expect(code).toBe(0);
    for (const command of ['dev', 'import', 'run', 'show', 'preview', 'report', 'pause', 'resume']) {
      expect(stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
    }
    expect(noiseIn(stdout + stderr)).toEqual([]);
  });

  it('prints a command help with --json and --aws and exits 0', async () => {
    const { code, stdout, stderr } = await runCli(['dev', '--help']);

    expect(code).toBe(0);
    expect(stdout).toContain('Usage: dunning dev');
    expect(stdout).toContain('--json');
    expect(stdout).toContain('--aws');
    expect(noiseIn(stdout + stderr)).toEqual([]);
  });

  it('exits 1 on an unknown command and on an unknown flag, without a stack trace', async () => {
    const [command, flag] = await Promise.all([runCli(['frobnicate']), runCli(['dev', '--frobnicate'])]);

    expect(command.code).toBe(1);
    expect(command.stderr).toContain("unknown command 'frobnicate'");
    expect(flag.code).toBe(1);
    expect(flag.stderr).toContain("unknown option '--frobnicate'");
    expect(noiseIn(command.stdout + command.stderr + flag.stdout + flag.stderr)).toEqual([]);
  });

  it('prints exactly one JSON document {error} on stdout for a user error with --json', async () => {
    const [wrongTarget, badSetting] = await Promise.all([
      runCli(['dev', '--aws', '--json']),
      runCli(['dev', '--json'], cliEnv({ DUNNING_HTTP_PORT: 'eighty' })),
    ]);

    expect(wrongTarget.code).toBe(1);
    expect(JSON.parse(wrongTarget.stdout)).toEqual({
      error: '"dunning dev" runs the local stack only; --aws does not apply.',
    });
    expect(badSetting.code).toBe(1);
    const document = JSON.parse(badSetting.stdout) as { error: string };
    expect(Object.keys(document)).toEqual(['error']);
    expect(document.error).toMatch(/^Invalid configuration: DUNNING_HTTP_PORT: /);
    expect(noiseIn(wrongTarget.stdout + wrongTarget.stderr + badSetting.stdout + badSetting.stderr)).toEqual(
      [],
    );
  });

  it('exits 1 with one line naming the variable when a setting is bad', async () => {
    const { code, stdout, stderr } = await runCli(['dev'], cliEnv({ DUNNING_TIME_ZONE: 'Mars/Olympus' }));

    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^dunning: Invalid configuration: DUNNING_TIME_ZONE: expected an IANA time zone/),
    ]);
  });
});

describe('The dunning binary when what it talks to is gone', () => {
  it('ends quietly when the reader of its output goes away (| head)', async () => {
    const child = spawn(process.execPath, [DUNNING_BIN, '--help'], {
      env: cliEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // The reader is gone before the CLI writes a byte: its first write meets a closed pipe (EPIPE).
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));

    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('says in one line that the local stack is down, naming the port and npm start (exit 1)', async () => {
    const port = await freePort();
    const { code, stdout, stderr } = await runCli(
      ['show', 'INV-1'],
      cliEnv({ DUNNING_DYNAMODB_PORT: String(port) }),
    );

    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toEqual([
      `dunning: Cannot reach the local store (DynamoDB) on port ${port}: the local stack is not running; start it with "npm start" (or set DUNNING_DYNAMODB_PORT / DUNNING_SES_PORT to where it runs).`,
    ]);
  });
});
