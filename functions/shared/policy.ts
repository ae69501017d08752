import policyDocument from '../../policy/dunning.json' with { type: 'json' };
import { type Policy, parsePolicy } from './domain/policy.ts';

/**
 * The repo's policy file, validated once per process. Imported rather than read from disk so the
 * Lambdas carry it in their bundle and the CLI sees exactly the same document.
 */
let cached: Policy | undefined;
export const loadPolicy = (): Policy => {
  cached ??= parsePolicy(policyDocument, 'policy/dunning.json');
  return cached;
};
