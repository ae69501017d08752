import ratesDocument from '../../policy/reference-rates.json' with { type: 'json' };
import { parseReferenceRates, type ReferenceRates } from './domain/interest/reference-rates.ts';

/**
 * The repo's reference-rate table, validated once per process; bundled like the policy so that the
 * Lambdas and the CLI compute with exactly the same rates.
 */
let cached: ReferenceRates | undefined;
export const loadReferenceRates = (): ReferenceRates => {
  cached ??= parseReferenceRates(ratesDocument, 'policy/reference-rates.json');
  return cached;
};
