import { isUserError, ServiceUnavailableError } from '../functions/shared/errors.ts';

export interface OutputOptions {
  readonly json?: boolean;
}

/** Prints one JSON document on stdout, the only thing `--json` ever prints there. */
export const printJson = (document: unknown): void => {
  process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
};

export const printLine = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};

/**
 * Maps an error to what the user sees and the exit code: a user error, or a local service the user
 * can free or start (a busy port), is its message and exit 1; any other error is a one-line
 * "unexpected" message and exit 2. Never a stack trace, never a secret.
 */
export const reportError = (
  error: unknown,
  options: OutputOptions,
  extra: Record<string, unknown> = {},
): number => {
  const userError = isUserError(error) || error instanceof ServiceUnavailableError;
  const message = userError
    ? (error as Error).message
    : `Unexpected error: ${error instanceof Error ? error.message : String(error)}`;
  if (options.json) printJson({ error: message, ...extra });
  else process.stderr.write(`dunning: ${message}\n`);
  return userError ? 1 : 2;
};
