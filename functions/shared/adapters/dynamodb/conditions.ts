import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';

/** A lost conditional write; by name too, since a bundled second copy of the SDK breaks `instanceof`. */
export const isConditionFailed = (error: unknown): boolean =>
  error instanceof ConditionalCheckFailedException ||
  (error as { name?: string } | null)?.name === 'ConditionalCheckFailedException';

/**
 * Runs one conditional write; `undefined` when its condition did not hold (a lost race, a step
 * already done), every other error thrown as it came.
 */
export const unlessConditionFailed = async <T>(write: () => Promise<T>): Promise<T | undefined> => {
  try {
    return await write();
  } catch (error) {
    if (isConditionFailed(error)) return undefined;
    throw error;
  }
};
