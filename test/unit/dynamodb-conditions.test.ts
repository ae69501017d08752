import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import {
  isConditionFailed,
  unlessConditionFailed,
} from '../../functions/shared/adapters/dynamodb/conditions.ts';

describe('A lost conditional write', () => {
  const lost = new ConditionalCheckFailedException({
    message: 'The conditional request failed',
    $metadata: {},
  });
  // A second copy of the SDK in a bundle throws its own class: only the name is shared.
  const lostElsewhere = Object.assign(new Error('The conditional request failed'), {
    name: 'ConditionalCheckFailedException',
  });

  it('is told by class or by name, and nothing else is', () => {
    expect(isConditionFailed(lost)).toBe(true);
    expect(isConditionFailed(lostElsewhere)).toBe(true);
    expect(isConditionFailed(Object.assign(new Error('x'), { name: 'ThrottlingException' }))).toBe(false);
    expect(isConditionFailed(null)).toBe(false);
    expect(isConditionFailed(undefined)).toBe(false);
  });

  it('reads as undefined from unlessConditionFailed; any other error is thrown as it came', async () => {
    const outage = new Error('socket hang up');

    expect(await unlessConditionFailed(async () => 'written')).toBe('written');
    expect(
      await unlessConditionFailed(async () => {
        throw lostElsewhere;
      }),
    ).toBeUndefined();
    await expect(
      unlessConditionFailed(async () => {
        throw outage;
      }),
    ).rejects.toBe(outage);
  });
});
