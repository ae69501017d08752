import { defineConfig } from 'vitest/config';
import base from './vitest.config.ts';

/**
 * The suites `npm run mutation` runs against each mutant: the guard tests and the unit tests of the
 * modules that hold the guards (stryker.config.mjs lists those modules).
 */
export default defineConfig({
  test: {
    ...base.test,
    include: [
      'test/guards/**/*.test.ts',
      'test/unit/run-mailer.test.ts',
      'test/unit/payment-apply.test.ts',
      'test/unit/dynamodb-conditions.test.ts',
      'test/unit/run-stage-choice.test.ts',
      'test/unit/care-service.test.ts',
      'test/integration/care-ledger.test.ts',
    ],
  },
});
