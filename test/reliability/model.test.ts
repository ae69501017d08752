import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulators, startEmulators } from '../../chaos/harness.ts';
import { runModelTrials } from '../../chaos/model-trials.ts';

/**
 * The short version of `npm run chaos`'s model-based test: a few random sequences of imports, runs,
 * payments, redeliveries and refunds on dynalite and the SES emulator, checked after every step.
 */
let emulators: Emulators;

beforeAll(async () => {
  emulators = await startEmulators();
});

afterAll(async () => {
  await emulators?.stop();
});

describe('Model-based reliability', () => {
  it('keeps every invariant over random interleavings of import, run and payments', async () => {
    const result = await runModelTrials(emulators, { runs: 2, maxSteps: 8, seed: 9001, faultRate: 0 });

    expect(result.failure).toBeUndefined();
    expect(result.steps).toBeGreaterThan(0);
  }, 60_000);

  it('keeps every invariant when the store and mail clients fail at seeded points', async () => {
    const result = await runModelTrials(emulators, {
      runs: 2,
      maxSteps: 8,
      seed: 4242,
      faultRate: 0.08,
      // The SDK backs off ~0.5 s per throttled attempt; `npm run chaos` injects throttling, this stays fast.
      faultKinds: ['timeout', 'reset', 'reset_after', 'race'],
    });

    expect(result.failure).toBeUndefined();
    expect(result.faultsInjected).toBeGreaterThan(0);
  }, 60_000);
});
