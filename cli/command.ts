import type { Command } from 'commander';
import { localStackDown, type OutputOptions, reportError } from './output.ts';

export interface CommonOptions extends OutputOptions {
  readonly aws?: boolean;
}

/** Flags every command takes: `--json` for one JSON document, `--aws` for the deployed stack. */
export const withCommonOptions = (command: Command): Command =>
  command
    .option('--json', 'print one JSON document on stdout')
    .option('--aws', 'work on the deployed stack (default AWS credential chain); same as DUNNING_TARGET=aws');

/** The ports the local stack listens on, only to name the one that refused (config validated them). */
const localPorts = () => ({
  store: Number(process.env.DUNNING_DYNAMODB_PORT ?? 8000),
  mail: Number(process.env.DUNNING_SES_PORT ?? 8005),
});

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
      const down = localStackDown(error, localPorts());
      process.exitCode = reportError(
        down ?? error,
        options,
        (error as { details?: Record<string, unknown> }).details,
      );
    }
  };
