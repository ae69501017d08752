import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulators, startEmulators, startTrial, type Trial } from '../../chaos/harness.ts';
import { fuzzWebhooks } from '../../chaos/hostile-trials.ts';
import { mailInjectionProblems, optOutProblems, trialLeaks } from '../../chaos/security.ts';
import {
  isValidOptOutToken,
  optOutToken,
} from '../../functions/shared/domain/customer-care/opt-out-token.ts';

let emulators: Emulators;
let trial: Trial;

beforeAll(async () => {
  emulators = await startEmulators();
  trial = await startTrial(emulators, { realTemplates: true });
});

afterAll(async () => {
  await trial?.stop();
  await emulators?.stop();
});

describe('Security', () => {
  it('keeps customer-supplied text out of mail headers and out of live HTML', async () => {
    const problems = await mailInjectionProblems(emulators, trial);

    expect(problems).toEqual([]);
  });

  it('never puts a secret, a signature or a stack trace in a response, a log line or an email', async () => {
    await fuzzWebhooks(trial, emulators.store.documentClient, { runs: 25, seed: 5, invoiceId: 'INJ-1' });

    expect(trial.signatures.size).toBeGreaterThan(0);
    expect(trial.responses.length).toBeGreaterThan(0);
    expect(trialLeaks(trial, await emulators.mailbox.emails())).toEqual([]);
  });

  it('opts out only the customer whose reminder carried the link, never another one or a forged link', async () => {
    const problems = await optOutProblems(emulators, trial);

    expect(problems).toEqual([]);
  });

  it('refuses an opt-out token forged or taken from another customer', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 16 }),
        fc.string({ minLength: 1 }),
        fc.string({ minLength: 1 }),
        fc.string(),
        (secret, mine, theirs, forged) => {
          const token = optOutToken(secret, mine);
          expect(isValidOptOutToken(secret, mine, token)).toBe(true);
          if (theirs !== mine) expect(isValidOptOutToken(secret, theirs, token)).toBe(false);
          if (forged !== token) expect(isValidOptOutToken(secret, mine, forged)).toBe(false);
          expect(isValidOptOutToken(`${secret}x`, mine, token)).toBe(false);
        },
      ),
      { numRuns: 500 },
    );
  });
});
