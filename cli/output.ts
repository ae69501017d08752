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

/** The refused connection an error carries, itself or as its cause (Node's `connect ECONNREFUSED`). */
const refusedConnection = (error: unknown): { address?: string; port?: number } | undefined => {
  for (let current = error, depth = 0; current && depth < 4; depth++) {
    const { code, address, port, cause } = current as {
      code?: string;
      address?: string;
      port?: number;
      cause?: unknown;
    };
    if (code === 'ECONNREFUSED') return { ...(address ? { address } : {}), ...(port ? { port } : {}) };
    current = cause;
  }
  return undefined;
};

/**
 * A command run while the local stack is down: one line naming the port and how to start it. The
 * store and the mail emulator are the ports a command talks to, named from the environment.
 */
export const localStackDown = (
  error: unknown,
  ports: { readonly store: number; readonly mail: number },
): ServiceUnavailableError | undefined => {
  const refused = refusedConnection(error);
  if (!refused) return undefined;
  const service =
    refused.port === ports.store
      ? 'the local store (DynamoDB)'
      : refused.port === ports.mail
        ? 'the local mail service (SES)'
        : 'the local stack';
  const where = refused.port ? ` on port ${refused.port}` : '';
  return new ServiceUnavailableError(
    `Cannot reach ${service}${where}: the local stack is not running; start it with "npm start" (or set DUNNING_DYNAMODB_PORT / DUNNING_SES_PORT to where it runs).`,
  );
};

/**
 * Output piped into a command that stops reading (`| head`) closes stdout: the CLI then ends quietly
 * with what it printed, as command-line tools do, instead of dying on EPIPE with a stack trace.
 */
export const endQuietlyWhenOutputCloses = (stream: NodeJS.WriteStream = process.stdout): void => {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') process.exit(0);
    throw error;
  });
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
