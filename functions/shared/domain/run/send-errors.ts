/**
 * How a send can fail, as far as the at-most-once rule cares. A mailer throws one of the first two
 * when it KNOWS nothing went out; any other error leaves the outcome unknown, and the reminder is
 * flagged for an operator instead of being retried.
 */

/** The provider refused the message for good (bad address, rejected content, sending paused). */
export class PermanentSendError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PermanentSendError';
  }
}

/** The provider kept throttling after every retry: nothing was sent, a later run may try again. */
export class TransientSendError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'TransientSendError';
  }
}
