// @ts-check
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * `npm run mutation`: StrykerJS mutates the modules that hold the at-most-once and applied-once
 * guards and runs the guard suites (vitest.mutation.config.ts) against every mutant. A mutant that
 * survives is a weakening `npm test` would not notice. The sandbox lives in the system temp dir and
 * is removed after the run; results are printed, not written (docs/reliability.md records the score).
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts' },
  plugins: ['@stryker-mutator/vitest-runner'],
  mutate: [
    // The stage claim and the customer claim (its gap and standing conditions), written and decided.
    'functions/shared/adapters/dynamodb/run-claims.ts',
    'functions/shared/adapters/dynamodb/run-records.ts',
    'functions/shared/adapters/dynamodb/conditions.ts',
    'functions/shared/domain/run/assess.ts',
    'functions/shared/domain/run/claim-reminder.ts',
    // SDK retries off for sending; no resend and no release after an ambiguous outcome.
    'functions/shared/adapters/ses/client.ts',
    'functions/shared/adapters/ses/mailer.ts',
    'functions/shared/domain/run/send-reminder.ts',
    'functions/shared/domain/run/send-outcome.ts',
    // Committed imports rolled forward; the standings customer care may override.
    'functions/shared/domain/import/roll-forward.ts',
    'functions/shared/domain/customer-care/rules.ts',
    // Event-id dedupe (decision and write) and the signature tolerance.
    'functions/shared/domain/payments/apply.ts',
    'functions/shared/adapters/dynamodb/payment-ledger.ts',
    'functions/payment/verify.ts',
  ],
  coverageAnalysis: 'perTest',
  concurrency: 2,
  timeoutMS: 30_000,
  reporters: ['clear-text', 'progress'],
  clearTextReporter: { allowColor: false, logTests: false },
  tempDirName: join(tmpdir(), `dunning-stryker-${process.pid}`),
  cleanTempDir: 'always',
  ignorePatterns: ['cdk.out', '.dunning', 'coverage', '.bench', 'docs/images'],
  thresholds: { high: 90, low: 80, break: 80 },
};
