import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulators, startEmulators, startTrial, type Trial } from '../../chaos/harness.ts';
import { fuzzImports, fuzzWebhooks } from '../../chaos/hostile-trials.ts';
import { stripeEventBody, stripeHeaders } from '../support/payment-fixtures.ts';

/** The short version of `npm run chaos`'s hostile-input fuzzing, through the real import and webhook server. */
let emulators: Emulators;
let trial: Trial;

beforeAll(async () => {
  emulators = await startEmulators();
  trial = await startTrial(emulators);
  await trial.importRows(
    'known.csv',
    'invoice_id,customer_id,customer_name,customer_email,currency,amount_due,due_date\nHW-1,HC-9,Ada,ada@customer.example,EUR,100.00,2027-03-01\n',
  );
});

afterAll(async () => {
  await trial?.stop();
  await emulators?.stop();
});

describe('Hostile input', () => {
  it('answers 400, not 503, to a signed Stripe event whose ids would not fit a DynamoDB key', async () => {
    const object = { id: 'pi_1', object: 'payment_intent', amount_received: 100, currency: 'eur' };
    const longId = stripeEventBody(
      'payment_intent.succeeded',
      { ...object, metadata: { invoice_id: 'HW-1' } },
      { id: 'x'.repeat(70_000) },
    );
    const longInvoice = stripeEventBody('payment_intent.succeeded', {
      ...object,
      metadata: { invoice_id: 'y'.repeat(5_000) },
    });
    const wideId = stripeEventBody(
      'payment_intent.succeeded',
      { ...object, metadata: { invoice_id: 'HW-1' } },
      { id: '𝄞'.repeat(200) },
    );

    const statuses = [];
    for (const body of [longId, longInvoice, wideId])
      statuses.push(
        (await trial.post('/webhooks/stripe', body, stripeHeaders(body, trial.secrets.stripe))).status,
      );

    expect(statuses).toEqual([400, 400, 200]);
  });

  it('rejects hostile import files with a named problem and writes nothing of a rejected one', async () => {
    const result = await fuzzImports(trial, emulators.store.documentClient, { runs: 25, seed: 91 });

    expect(result.problems).toEqual([]);
    expect(result.rejected).toBeGreaterThan(0);
    expect(result.accepted).toBeGreaterThan(0);
  });

  it('answers hostile signed webhook bodies with 2xx or a 4xx naming the problem, never 5xx', async () => {
    const result = await fuzzWebhooks(trial, emulators.store.documentClient, {
      runs: 50,
      seed: 91,
      invoiceId: 'HW-1',
    });

    expect(result.problems).toEqual([]);
    expect(result.fiveXx).toBe(0);
    expect(result.rejected).toBeGreaterThan(0);
  });
});
