import { defineConfig } from 'vitest/config';
import base from './vitest.config.ts';

/**
 * The adapter integration suites and the guard suites again, on AWS's DynamoDB Local instead of
 * dynalite (`npm run test:conformance`): every conditional write the guards rely on is judged by
 * AWS's own implementation too. DynamoDB Local writes ~60 items/s, so the list is explicit; each
 * suite starts its own JVM.
 */
export default defineConfig({
  test: {
    ...base.test,
    include: [
      'test/conformance/**/*.conformance.ts',
      'test/integration/tables.test.ts',
      'test/integration/import-cli.test.ts',
      'test/integration/run-engine.test.ts',
      'test/integration/run-cli.test.ts',
      'test/integration/care-run.test.ts',
      'test/integration/care-routes.test.ts',
      'test/integration/report-reads.test.ts',
      'test/integration/payment-recorder.test.ts',
      'test/integration/webhook-local.test.ts',
      'test/integration/webhook-lambda.test.ts',
      'test/integration/import-demo.test.ts',
      'test/integration/answer-store.test.ts',
      'test/integration/respond-routes.test.ts',
      'test/guards/**/*.test.ts',
    ],
    globalSetup: ['test/conformance/require-java.ts'],
    env: { ...base.test?.env, DUNNING_TEST_STORE: 'dynamodb-local' },
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
