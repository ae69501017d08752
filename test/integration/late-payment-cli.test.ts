import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LedgerReader } from '../../functions/shared/adapters/dynamodb/ledger-reader.ts';
import { RunClaims } from '../../functions/shared/adapters/dynamodb/run-claims.ts';
import { dunning, useStore } from '../support/cli-in-process.ts';
import { startTestStore, type TestStore } from '../support/emulators.ts';
import { testRecorder } from '../support/payment-hosts.ts';
import { scratchFolder } from '../support/scratch-folder.ts';

/**
 * `dunning interest` and `dunning waive` as a user runs them, on dynalite: invoices of customers in
 * several countries, figures computed by hand in docs/late-payment.md.
 */
const HEADER =
  'invoice_id,customer_id,customer_name,customer_email,currency,amount_due,due_date,customer_timezone,customer_type';
const ROWS = [
  'UK-1,C-UK,Thames Tools Ltd,ap@thames.example,GBP,2400.00,2026-03-31,Europe/London,',
  'DE-1,C-DE,Müller Maschinenbau GmbH,buchhaltung@mueller.example,EUR,10000.00,2025-05-31,Europe/Berlin,business',
  'DE-2,C-DE,Müller Maschinenbau GmbH,buchhaltung@mueller.example,EUR,10000.00,2025-05-31,Europe/Berlin,business',
  'FR-1,C-FR,Atelier Lumière SARL,compta@lumiere.example,EUR,5000.00,2024-12-20,Europe/Paris,',
  'CO-1,C-CO,Erika Mustermann,erika@private.example,EUR,500.00,2025-05-31,Europe/Berlin,consumer',
  'US-1,C-US,Hudson Freight,ap@hudson.example,USD,1000.00,2025-05-31,America/New_York,',
];

describe('dunning interest against dynalite', () => {
  let store: TestStore;
  const folder = scratchFolder('dunning-interest-test-');

  beforeAll(async () => {
    store = await startTestStore();
    useStore(store, {
      DUNNING_TIME_ZONE: 'UTC',
      DUNNING_PAYMENT_URL: 'https://pay.example.com/i/{invoiceId}',
    });
    const path = await folder.write('invoices.csv', `${HEADER}\n${ROWS.join('\n')}\n`);
    expect((await dunning('import', path, '--json')).code).toBe(0);
    const recorder = testRecorder(store);
    // 23:30 UTC on 9 July is 10 July in Berlin: the day the part payment counts on.
    await recorder.record({
      eventId: 'evt_part',
      provider: 'standard',
      type: 'payment.succeeded',
      invoiceId: 'DE-2',
      kind: 'payment',
      amount: 100_000,
      currency: 'EUR',
      occurredAt: '2025-07-09T23:30:00Z',
      refs: ['standard:pay_part'],
    });
  });
  afterAll(() => store.stop());

  it('UK: one period at Bank Rate 3.75 % + 8, fixed sum £70', async () => {
    const { code, json } = await dunning('interest', 'UK-1', '--as-of', '2026-06-15', '--json');
    expect(code).toBe(0);
    expect(json).toMatchObject({
      invoiceId: 'UK-1',
      currency: 'GBP',
      applicable: true,
      reason: null,
      jurisdiction: 'GB',
      law: 'Late Payment of Commercial Debts (Interest) Act 1998',
      periods: [{ from: '2026-04-01', to: '2026-06-15', days: 76, ratePercent: 11.75 }],
      interest: 5_872,
      compensation: 7_000,
    });
  });

  it('Germany: two half-years, and a part payment settled by § 367 BGB', async () => {
    const whole = await dunning('interest', 'DE-1', '--as-of', '2025-08-15', '--json');
    const part = await dunning('interest', 'DE-2', '--as-of', '2025-08-15', '--json');
    expect(whole.json).toMatchObject({
      jurisdiction: 'DE',
      periods: [
        { from: '2025-06-01', to: '2025-06-30', days: 30, ratePercent: 11.27 },
        { from: '2025-07-01', to: '2025-08-15', days: 46, ratePercent: 10.27 },
      ],
      interest: 22_206,
      compensation: 4_000,
    });
    expect(part.json).toMatchObject({ interest: 21_356, settled: { compensation: 4_000, interest: 12_077 } });
  });

  it('France: ECB rate + 10 points across 1 January', async () => {
    const { json } = await dunning('interest', 'FR-1', '--as-of', '2025-01-19', '--json');
    expect(json).toMatchObject({ jurisdiction: 'FR', interest: 5_570, compensation: 4_000 });
  });

  it('claims nothing from a consumer or where no law is known, and says why', async () => {
    const consumer = await dunning('interest', 'CO-1', '--as-of', '2025-08-15', '--json');
    const elsewhere = await dunning('interest', 'US-1', '--as-of', '2025-08-15', '--json');
    expect(consumer.json).toMatchObject({
      applicable: false,
      reason: 'consumer',
      interest: 0,
      compensation: 0,
    });
    expect(elsewhere.json).toMatchObject({ applicable: false, reason: 'no_statute', jurisdiction: 'US' });
  });

  it('says a half-year the table lacks makes the claim unavailable', async () => {
    const { json } = await dunning('interest', 'DE-1', '--as-of', '2026-07-10', '--json');
    expect(json).toMatchObject({ applicable: false, reason: 'rate_unavailable' });
    expect(json.detail).toContain('2026-H2');
  });

  it('prints the periods for a person, and an unknown invoice is a user error', async () => {
    const human = await dunning('interest', 'DE-1', '--as-of', '2025-08-15');
    const missing = await dunning('interest', 'NOPE', '--json');
    expect(human.stdout).toContain('2025-07-01 to 2025-08-15');
    expect(human.stdout).toContain('€222.06');
    expect(missing.code).toBe(1);
    expect(missing.json).toEqual({ error: 'No invoice "NOPE" in the store' });
  });

  it('stores the customer type the file gives', async () => {
    const reader = new LedgerReader(store.documentClient, store.tableName);
    expect(await reader.getCustomer('C-CO')).toMatchObject({ customerType: 'consumer' });
    expect((await reader.getCustomer('C-UK'))?.customerType).toBeUndefined();
  });

  it('waives interest for good: recorded with who and why, counted as zero, never waived twice', async () => {
    const waived = await dunning(
      'waive',
      'DE-1',
      '--interest',
      '--reason',
      'goodwill after the audit',
      '--json',
    );
    const after = await dunning('interest', 'DE-1', '--as-of', '2025-08-15', '--json');
    const again = await dunning('waive', 'DE-1', '--interest', '--reason', 'twice', '--json');
    const shown = await dunning('show', 'DE-1', '--json');
    expect(waived.code).toBe(0);
    expect(waived.json.waived).toMatchObject({
      key: 'interest',
      kind: 'interest',
      waived: { reason: 'goodwill after the audit' },
    });
    expect(waived.json.waived.waived.by).toMatch(/^operator/);
    expect(after.json).toMatchObject({
      applicable: true,
      interest: 0,
      compensation: 4_000,
      waived: { interest: true },
    });
    expect(again.code).toBe(1);
    expect(again.json.error).toContain('already waived');
    expect(shown.json.charges).toEqual([
      expect.objectContaining({
        key: 'interest',
        kind: 'interest',
        waived: expect.objectContaining({ reason: 'goodwill after the audit' }),
      }),
    ]);
  });

  it("waives a stage's fee from the ledger: what is outstanding falls by it", async () => {
    const reader = new LedgerReader(store.documentClient, store.tableName);
    const claims = new RunClaims(store.documentClient, store.tableName);
    const invoice = await reader.getInvoice('UK-1');
    if (!invoice) throw new Error('UK-1 not imported');
    const claimed = await claims.claimStage(invoice, {
      stage: 'third',
      status: 'claimed',
      claimedAt: '2026-04-30T09:00:00.000Z',
      runId: 'run-test',
      fee: 1_200,
    });
    expect(claimed?.charges).toEqual({
      'fee:third': { kind: 'fee', amount: 1_200, stage: 'third', chargedAt: '2026-04-30T09:00:00.000Z' },
    });
    const before = await dunning('show', 'UK-1', '--json');
    const none = await dunning('waive', 'UK-1', '--fee', 'second', '--reason', 'no such fee', '--json');
    const waived = await dunning(
      'waive',
      'UK-1',
      '--fee',
      'third',
      '--reason',
      'customer was on holiday',
      '--json',
    );
    const after = await dunning('show', 'UK-1', '--json');
    expect(before.json.invoice.outstanding).toBe(241_200);
    expect(none).toMatchObject({
      code: 1,
      json: { error: 'Invoice UK-1 has no fee charged at stage "second"' },
    });
    expect(waived.json).toMatchObject({
      feesCharged: 0,
      waived: { kind: 'fee', stage: 'third', amount: 1_200 },
    });
    expect(after.json.invoice.outstanding).toBe(240_000);
    expect(after.json.charges).toEqual([
      expect.objectContaining({
        key: 'fee:third',
        amount: 1_200,
        waived: expect.objectContaining({ reason: 'customer was on holiday' }),
      }),
    ]);
  });

  it('asks for exactly one thing to waive and a reason', async () => {
    const neither = await dunning('waive', 'DE-1', '--reason', 'x', '--json');
    const both = await dunning('waive', 'DE-1', '--interest', '--compensation', '--reason', 'x', '--json');
    expect(neither).toMatchObject({ code: 1, json: { error: expect.stringContaining('exactly one of') } });
    expect(both.code).toBe(1);
  });
});
