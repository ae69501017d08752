import { defineConfig } from 'vitest/config';
import base from './vitest.config.ts';

/**
 * The suites `npm run mutation` runs against each mutant: the guard tests, the unit tests of the
 * modules that hold the guards (stryker.config.mjs lists those modules) and the integration suites
 * of the run (with the customers' answers that hold it) and the payment ledger that drive them.
 */
export default defineConfig({
  test: {
    ...base.test,
    include: [
      'test/guards/**/*.test.ts',
      'test/unit/run-mailer.test.ts',
      'test/unit/sdk-clients.test.ts',
      'test/unit/payment-apply.test.ts',
      'test/unit/dynamodb-conditions.test.ts',
      'test/unit/run-stage-choice.test.ts',
      'test/unit/care-service.test.ts',
      'test/unit/import-roll-forward-order.test.ts',
      'test/integration/care-ledger.test.ts',
      // The run's claims and send outcomes, and the payment ledger's writes, as npm test drives them.
      'test/integration/run-engine.test.ts',
      'test/integration/answers-run.test.ts',
      'test/integration/run-isolation.test.ts',
      'test/integration/run-records.test.ts',
      'test/integration/payment-recorder.test.ts',
    ],
  },
});
