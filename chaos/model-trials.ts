import fc from 'fast-check';
import type { FaultKind } from '../test/support/faults.ts';
import { BASE_DATE, ImportNew, modelSteps } from './commands.ts';
import { type Emulators, startTrial } from './harness.ts';
import { type Model, sentPairs } from './model.ts';
import { trialLeaks } from './security.ts';
import type { Real } from './steps.ts';

/**
 * Runs the model-based test: each fast-check run is one trial (a fresh table, fresh webhook server)
 * driven by a random sequence of steps, checked against the model after every step. With a fault
 * rate, the store and mail clients fail at seeded points throughout.
 */

export interface ModelTrialOptions {
  readonly runs: number;
  readonly maxSteps: number;
  readonly seed: number;
  /** Probability that one SDK command gets a fault; 0 runs fault-free. */
  readonly faultRate: number;
  readonly faultKinds?: readonly FaultKind[];
  /** Shrink a failure to its smallest sequence of steps (slow on emulators; for investigating). */
  readonly shrink?: boolean;
}

export interface ModelTrialResult {
  readonly trials: number;
  readonly steps: number;
  readonly faultsInjected: number;
  readonly faultsByKind: Record<string, number>;
  readonly cleanFailures: number;
  readonly retriedDeliveries: number;
  /** Reminder lines (invoice and stage) that reached the mail emulator. */
  readonly emails: number;
  /** (invoice, stage) pairs mailed more than once. */
  readonly doubleSends: number;
  /** Secrets, signatures or stack traces found in responses, log lines or emails. */
  readonly leaks: readonly string[];
  /** The shrunk counterexample, when an invariant failed. */
  readonly failure?: string;
}

const newModel = (trial: string, faulty: boolean): Model => ({
  trial,
  faulty,
  invoices: [],
  customers: [0, 1, 2].map((number) => ({ customerId: `${trial}-C${number}`, name: `Customer ${number}` })),
  payments: [],
  asOf: new Date(`${BASE_DATE}T12:00:00Z`),
  paidAt: new Map(),
});

/** Invoices of every stage window: due in 3 days, 1, 14, 30 and 45 days ago, for three customers. */
const OPENING_PORTFOLIO = [3, -1, -14, -30, -45].map((dueOffset, row) => ({
  customer: row,
  amount: 100_00 * (row + 1),
  dueOffset,
  paidShare: 0,
}));

export const runModelTrials = async (
  emulators: Emulators,
  options: ModelTrialOptions,
): Promise<ModelTrialResult> => {
  let trials = 0;
  const totals = { steps: 0, cleanFailures: 0, retriedDeliveries: 0, emails: 0, doubleSends: 0 };
  const faultsByKind: Record<string, number> = {};
  const leaked: string[] = [];

  const property = fc.asyncProperty(
    fc.commands(modelSteps(), { maxCommands: options.maxSteps, size: 'max' }),
    fc.integer({ min: 1, max: 2 ** 31 - 1 }),
    async (steps, faultSeed) => {
      trials += 1;
      await emulators.mailbox.clear();
      const trial = await startTrial(emulators, {
        ...(options.faultRate > 0
          ? {
              faults: {
                seed: faultSeed,
                rate: options.faultRate,
                ...(options.faultKinds ? { kinds: options.faultKinds } : {}),
              },
            }
          : {}),
      });
      const real: Real = {
        trial,
        emulators,
        stats: { steps: 0, cleanFailures: 0, retriedDeliveries: 0 },
      };
      const model = newModel(`T${trials}`, options.faultRate > 0);
      try {
        // Every trial starts from a small portfolio, so the random steps have invoices to work on.
        await new ImportNew(OPENING_PORTFOLIO).run(model, real);
        await fc.asyncModelRun(() => ({ model, real }), steps);
      } finally {
        const emails = await emulators.mailbox.emails();
        const pairs = [...sentPairs(emails, model.trial).values()];
        totals.emails += pairs.length;
        totals.doubleSends += pairs.filter((count) => count > 1).length;
        leaked.push(...trialLeaks(trial, emails));
        totals.steps += real.stats.steps;
        totals.cleanFailures += real.stats.cleanFailures;
        totals.retriedDeliveries += real.stats.retriedDeliveries;
        for (const [kind, count] of Object.entries(trial.plan?.injected ?? {}))
          faultsByKind[kind] = (faultsByKind[kind] ?? 0) + count;
        await trial.stop();
      }
    },
  );
  const details = await fc.check(property, {
    numRuns: options.runs,
    seed: options.seed,
    endOnFailure: !options.shrink,
  });
  const failure = details.failed
    ? `seed ${details.seed}, path ${details.counterexamplePath}: ${String(details.errorInstance)}\n${fc.stringify(details.counterexample)}`
    : undefined;
  return {
    trials,
    ...totals,
    faultsInjected: Object.values(faultsByKind).reduce((sum, count) => sum + count, 0),
    faultsByKind,
    leaks: leaked,
    ...(failure ? { failure } : {}),
  };
};
