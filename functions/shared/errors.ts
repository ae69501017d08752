/**
 * The product's error hierarchy. The CLI maps these to exit code 1 with the message alone; the HTTP
 * layer maps them to 4xx. Anything else is a bug and is reported without its stack to the user.
 */
export class DunningError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DunningError';
  }
}

/** Input the user can fix: a bad flag, file, row or value. */
export class UserInputError extends DunningError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UserInputError';
  }
}

/** A missing or malformed environment variable or policy file, found at start. */
export class ConfigError extends UserInputError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ConfigError';
  }
}

/** Something the user asked for that does not exist (an invoice id, a customer id). */
export class NotFoundError extends UserInputError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'NotFoundError';
  }
}

/** A local service (store, mail emulator, port) that cannot be reached or bound. */
export class ServiceUnavailableError extends DunningError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ServiceUnavailableError';
  }
}

/** A command registered in the CLI whose capability has not been built yet. */
export class NotImplementedError extends UserInputError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'NotImplementedError';
  }
}

export const isUserError = (error: unknown): error is UserInputError => error instanceof UserInputError;
