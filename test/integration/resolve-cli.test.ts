import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../cli/main.ts';
import { createWebhookReceiver } from '../../functions/payment/receive-webhook.ts';
import { addDays, startOfLocalDay } from '../../functions/shared/domain/calendar.ts';
import { startTestMailbox, startTestStore, type TestMailbox, type TestStore } from '../support/emulators.ts';
import { standardBody, standardHeaders, testSecrets } from '../support/payment-fixtures.ts';
import { testRecorder } from '../support/payment-hosts.ts';
import { customer, invoice, policy, SES_ACCOUNT, seed } from './run-support.ts';

// Tuesday 2026-03-10: the first stage of an invoice due 2026-03-01 has come due.
const AS_OF = '2026-03-10';
const silent = { warn: () => {} };

describe('dunning resolve on an invoice paid in another currency', () => {
  let store: TestStore;
  let mailbox: TestMailbox;
  let dataDir: string;
  let stdout: ReturnType<typeof vi.spyOn>;
  const secrets = testSecrets();
  const written = () => stdout.mock.calls.map((call: unknown[]) => String(call[0])).join('');

  /** One CLI command in this process; its exit code and its one JSON document. */
  const dunning = async (...args: string[]) => {
    stdout.mockClear();
    const code = await main(['node', 'dunning', ...args, '--json']);
    process.exitCode = undefined;
    return { code, json: JSON.parse(written()) };
  };

  /** A Standard Webhooks payment in USD for an EUR invoice, through the receiver both hosts use. */
  const payInDollars = async (invoiceId: string, webhookId: string) => {
    const receive = createWebhookReceiver({
      secrets: async () => secrets,
      record: testRecorder(store).record,
      observe: () => {},
      logger: silent,
    });
    const body = standardBody('payment.succeeded', { invoiceId, amount: 120_00, currency: 'USD' });
    const response = await receive({
      method: 'POST',
      path: '/webhooks/payments',
      headers: standardHeaders(body, secrets.payments, { id: webhookId }),
      rawBody: Buffer.from(body),
    });
    return response.body;
  };

  beforeAll(async () => {
    [store, mailbox, dataDir] = await Promise.all([
      startTestStore(),
      startTestMailbox(),
      mkdtemp(join(tmpdir(), 'dunning-resolve-')),
    ]);
    const people = [customer('held'), customer('other')];
    await seed(store, people, [invoice('inv-held', 'held'), invoice('inv-other', 'other')]);
    expect(await payInDollars('inv-held', 'msg_usd')).toEqual({ received: true, outcome: 'flagged' });
  });
  afterAll(async () => {
    await Promise.all([store?.stop(), mailbox?.stop(), rm(dataDir, { recursive: true, force: true })]);
  });
  beforeEach(() => {
    for (const [name, value] of Object.entries({
      DUNNING_DYNAMODB_PORT: String(store.port),
      DUNNING_SES_PORT: String(mailbox.port),
      DUNNING_TABLE_NAME: store.tableName,
      DUNNING_TIME_ZONE: 'UTC',
      DUNNING_TARGET: 'local',
      DUNNING_DATA_DIR: dataDir,
      DUNNING_OPT_OUT_SECRET: 'test-opt-out-secret-0123456789abcdef',
      AWS_SES_ACCOUNT: SES_ACCOUNT,
    }))
      vi.stubEnv(name, value);
    stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
    process.exitCode = undefined;
  });

  it('holds the flagged invoice back from a run, reminds it after resolve, and keeps the payment unapplied', async () => {
    const held = await dunning('run', '--as-of', AS_OF);
    const heldBack = (await mailbox.emails()).map((email) => email.destination.to[0]);
    const resolved = await dunning(
      'resolve',
      'inv-held',
      '--flag',
      'currency_mismatch',
      '--reason',
      '  USD payment refunded,\n ticket 912 ',
    );
    const next = await dunning('run', '--as-of', AS_OF);
    const shown = await dunning('show', 'inv-held');

    // The run reaches the flagged invoice, records the skip under its reason and sends it nothing.
    expect(held.json).toMatchObject({ considered: 2, sent: 1, skipped: { currency_mismatch: 1 } });
    expect(heldBack).toEqual(['other@customer.example']);
    expect(resolved).toEqual({
      code: 0,
      json: {
        invoiceId: 'inv-held',
        customerId: 'held',
        flag: 'currency_mismatch',
        flags: [],
        // Back on the day its first unclaimed stage fell due, in the customer's zone.
        nextActionAt: startOfLocalDay(
          addDays('2026-03-01', policy.stages[0]?.offsetDays ?? 0),
          'Europe/Berlin',
        ).toISOString(),
        resolved: true,
        reason: 'USD payment refunded, ticket 912',
      },
    });
    expect(next.json).toMatchObject({ considered: 1, sent: 1 });
    const recipients = (await mailbox.emails()).map((email) => email.destination.to[0]);
    expect(recipients.sort()).toEqual(['held@customer.example', 'other@customer.example']);
    expect(shown.json.invoice).toMatchObject({ flags: [], outstanding: 120_00, amountPaid: 0 });
    expect(shown.json.payments).toEqual([
      expect.objectContaining({
        paymentId: 'standard:msg_usd',
        currency: 'USD',
        amount: 120_00,
        applied: false,
      }),
    ]);
    expect(shown.json.care).toEqual([
      {
        at: expect.any(String),
        action: 'resolved',
        by: 'operator',
        customerId: 'held',
        invoiceId: 'inv-held',
        flag: 'currency_mismatch',
        reason: 'USD payment refunded, ticket 912',
      },
    ]);
    expect(shown.json.reminders).toEqual([expect.objectContaining({ status: 'sent' })]);
    expect(shown.json.skips).toEqual([expect.objectContaining({ reason: 'currency_mismatch' })]);
  });

  it.each([
    [['nope', '--flag', 'currency_mismatch', '--reason', 'x'], 'No invoice "nope" in the store'],
    [
      ['inv-other', '--flag', 'currency_mismatch', '--reason', 'x'],
      'Invoice "inv-other" does not carry the flag "currency_mismatch" (its flags: none)',
    ],
    [
      ['inv-other', '--flag', 'disputed', '--reason', 'x'],
      '--flag disputed is cleared with "dunning undispute INVOICE_ID"',
    ],
    [
      ['inv-other', '--flag', 'paid', '--reason', 'x'],
      '--flag "paid" is not a flag an operator resolves; one of: currency_mismatch, amount_inexact',
    ],
    [
      ['inv-other', '--flag', 'currency_mismatch', '--reason', '  '],
      '--reason must say how the flag was settled',
    ],
  ])('names the problem and exits 1 for resolve %j', async (args, message) => {
    const { code, json } = await dunning('resolve', ...args);

    expect(code).toBe(1);
    expect(json.error).toBe(message);
  });

  it('requires --reason', async () => {
    const code = await main(['node', 'dunning', 'resolve', 'inv-other', '--flag', 'currency_mismatch']);

    expect(code).toBe(1);
    expect(vi.mocked(process.stderr.write).mock.calls.join('')).toContain("'--reason <text>' not specified");
  });

  it('leaves an invoice that is also disputed off its schedule', async () => {
    await dunning('dispute', 'inv-other', '--reason', 'wrong quantity');
    await payInDollars('inv-other', 'msg_usd_other');

    const resolved = await dunning(
      'resolve',
      'inv-other',
      '--flag',
      'currency_mismatch',
      '--reason',
      'refunded',
    );

    expect(resolved).toEqual({
      code: 0,
      json: {
        invoiceId: 'inv-other',
        customerId: 'other',
        flag: 'currency_mismatch',
        flags: ['disputed'],
        resolved: true,
        reason: 'refunded',
      },
    });
  });
});
