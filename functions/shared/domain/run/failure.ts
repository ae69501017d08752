/**
 * Why a customer could not be worked in a run, as the audit trail and the logs keep it: the error's
 * kind and message, without any email address it may carry (SES names the recipient) and bounded, so
 * a failure record always fits its item and a log line never holds personal data.
 */
const EMAIL = /[^\s@<>"'(),;:]+@[^\s@<>"'(),;:]+/g;
const MAX_REASON = 300;

export const failureReason = (error: unknown): string => {
  const name = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  const text = `${name}: ${message}`.replace(EMAIL, '[address]').replace(/\s+/g, ' ').trim();
  return text.length > MAX_REASON ? `${text.slice(0, MAX_REASON - 1)}…` : text;
};
