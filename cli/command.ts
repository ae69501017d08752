import type { Command } from 'commander';
import { type OutputOptions, reportError } from './output.ts';

export interface CommonOptions extends OutputOptions {
  readonly aws?: boolean;
}

/** Flags every command takes: `--json` for one JSON document, `--aws` for the deployed stack. */
export const withCommonOptions = (command: Command): Command =>
  command
    .option('--json', 'print one JSON document on stdout')
    .option('--aws', 'work on the deployed stack (default AWS credential chain); same as DUNNING_TARGET=aws');

/**
 * Wraps a command's action so every outcome becomes an exit code: 0 on success, 1 on a user error,
 * 2 on anything unexpected. Commander hands the options object as the last-but-one argument.
 */
export const action =
  <Args extends unknown[]>(run: (...args: Args) => Promise<number | undefined>) =>
  async (...args: Args): Promise<void> => {
    const options = (args.at(-2) ?? {}) as CommonOptions;
    try {
      process.exitCode = (await run(...args)) ?? 0;
    } catch (error) {
      process.exitCode = reportError(
        error,
        options,
        (error as { details?: Record<string, unknown> }).details,
      );
    }
  };
