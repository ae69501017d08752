import { createServer } from 'node:net';
import { ServiceUnavailableError } from '../../functions/shared/errors.ts';

/** A port `dunning dev` binds, with the variable that sets it, so an error can name both. */
export interface NamedPort {
  readonly port: number;
  readonly variable: string;
}

export const portInUseError = ({ port, variable }: NamedPort): ServiceUnavailableError =>
  new ServiceUnavailableError(
    `port ${port} (${variable}) is already in use; is another "dunning dev" running? Stop it or set ${variable} to a free port.`,
  );

/** Turns a listen failure into the one-line error the user sees; other errors pass unchanged. */
export const explainListenError = (error: unknown, named: NamedPort): unknown => {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE') return portInUseError(named);
  if (code === 'EACCES') {
    return new ServiceUnavailableError(
      `port ${named.port} (${named.variable}) may not be bound by this user; set ${named.variable} to a port above 1024.`,
    );
  }
  return error;
};

const tryListen = (port: number): Promise<void> =>
  new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen({ port, host: '127.0.0.1', exclusive: true }, () => probe.close(() => resolve()));
  });

/**
 * Checks every port before anything starts, so a busy one stops `dunning dev` before it opens the
 * store. The services' own listen errors are mapped the same way for the race this leaves.
 */
export const assertPortsFree = async (ports: readonly NamedPort[]): Promise<void> => {
  for (const named of ports) {
    if (named.port === 0) continue;
    try {
      await tryListen(named.port);
    } catch (error) {
      throw explainListenError(error, named);
    }
  }
};

/** Starts a service on its port; a listen error names the port's variable, as `assertPortsFree` does. */
export const listening = async <T>(start: () => Promise<T>, named: NamedPort): Promise<T> => {
  try {
    return await start();
  } catch (error) {
    throw explainListenError(error, named);
  }
};
