import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';

/** A lost conditional write; by name too, since a bundled second copy of the SDK breaks `instanceof`. */
export const isConditionFailed = (error: unknown): boolean =>
  error instanceof ConditionalCheckFailedException ||
  (error as { name?: string } | null)?.name === 'ConditionalCheckFailedException';
