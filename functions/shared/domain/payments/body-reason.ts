import type * as z from '../../validation.ts';

/** The first problem of a rejected body as "path: message", short and free of the body's values. */
export const shortReason = (error: z.core.$ZodError): string => {
  const issue = error.issues[0];
  if (!issue) return 'invalid body';
  const path = issue.path.map(String).join('.');
  return path ? `${path}: ${issue.message}` : issue.message;
};
