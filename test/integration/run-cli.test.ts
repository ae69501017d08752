import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestMailbox, startTestStore, type TestMailbox, type TestStore } from '../support/emulators.ts';
import { customer, invoice, SES_ACCOUNT, seed } from './run-support.ts';

const run = promisify(execFile);

/** The CLI as a process that may exit non-zero: its code and both streams. */
const dunningIn =
  (env: () => NodeJS.ProcessEnv) =>
  async (...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
    try {
      const { stdout, stderr } = await run(process.execPath, ['cli/dunning.mjs', ...args], { env: env() });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  };
const CUSTOMERS = Array.from({ length: 24 }, (_, index) => `c${String(index).padStart(2, '0')}`);

describe('dunning run and show as processes', () => {
  let store: TestStore;
  let mailbox: TestMailbox;

  beforeAll(async () => {
    [store, mailbox] = await Promise.all([startTestStore(), startTestMailbox({ account: SES_ACCOUNT })]);
    await seed(
      store,
      CUSTOMERS.map((id) => customer(id)),
      CUSTOMERS.flatMap((id) => [
        invoice(`${id}-a`, id, { dueDate: '2026-03-01' }),
        invoice(`${id}-b`, id, { dueDate: '2026-02-01' }),
      ]),
    );
  });
  afterAll(async () => {
    await Promise.all([store.stop(), mailbox.stop()]);
  });

  const dunning = async (...args: string[]) => {
    const { stdout } = await run(process.execPath, ['cli/dunning.mjs', ...args], {
      env: {
        ...process.env,
        DUNNING_DYNAMODB_PORT: String(store.port),
        DUNNING_SES_PORT: String(mailbox.port),
        DUNNING_TABLE_NAME: store.tableName,
        DUNNING_TIME_ZONE: 'UTC',
        DUNNING_TARGET: 'local',
      },
    });
    return JSON.parse(stdout);
  };

  it('prints what would go out on --dry-run and sends and writes nothing', async () => {
    const report = await dunning('run', '--as-of', '2026-03-10', '--dry-run', '--json');

    expect(report).toMatchObject({
      asOf: '2026-03-10T12:00:00.000Z',
      dryRun: true,
      considered: 48,
      sent: 48,
      emails: 24,
      deferred: 0,
      failed: 0,
    });
    expect(report.outgoing).toHaveLength(24);
    expect(await mailbox.emails()).toHaveLength(0);
  });

  it('sends each invoice-and-stage at most once when two runs start at the same time', async () => {
    const [first, second] = await Promise.all([
      dunning('run', '--as-of', '2026-03-10', '--json'),
      dunning('run', '--as-of', '2026-03-10', '--json'),
    ]);

    const emails = await mailbox.emails();
    expect(Object.keys(first).sort()).toEqual(
      ['asOf', 'considered', 'deferred', 'dryRun', 'emails', 'failed', 'runId', 'sent', 'skipped'].sort(),
    );
    expect(first.sent + second.sent).toBe(48);
    expect(first.emails + second.emails).toBe(24);
    expect(emails).toHaveLength(24);
    expect(new Set(emails.map((email) => email.destination.to[0])).size).toBe(24);
    for (const id of CUSTOMERS) {
      const carrying = emails.filter((email) => email.body.text?.includes(`N-${id}-a`));
      expect(carrying).toHaveLength(1);
      expect(carrying[0]?.body.text).toContain(`N-${id}-b`);
    }
  });

  it('shows an invoice with its reminders and fee as docs/cli.md documents it', async () => {
    const shown = await dunning('show', 'c03-b', '--json');

    expect(shown).toMatchObject({
      invoice: {
        invoiceId: 'c03-b',
        invoiceNumber: 'N-c03-b',
        customerId: 'c03',
        currency: 'EUR',
        amountDue: 120_00,
        amountPaid: 0,
        outstanding: 135_00,
        dueDate: '2026-02-01',
        stage: 'third',
        status: 'open',
      },
      customer: {
        customerId: 'c03',
        email: 'c03@customer.example',
        timeZone: 'Europe/Berlin',
        status: 'active',
      },
      payments: [],
      reminders: [{ stage: 'third', status: 'sent', fee: 15_00, messageId: expect.any(String) }],
      skips: [],
    });
  });

  it('lists the runs newest first as docs/cli.md documents them; the dry run left none', async () => {
    const { runs } = await dunning('runs', '--json');
    expect(runs).toHaveLength(2);
    expect(Object.keys(runs[0]).sort()).toEqual(
      [
        'asOf',
        'considered',
        'deferred',
        'emails',
        'failed',
        'finishedAt',
        'runId',
        'sent',
        'skipped',
        'startedAt',
        'status',
        'trigger',
        'unknownOutcome',
      ].sort(),
    );
    expect(runs.map((entry: { status: string }) => entry.status)).toEqual(['done', 'done']);
    expect(runs[0].startedAt >= runs[1].startedAt).toBe(true);
    expect(runs[0].sent + runs[1].sent).toBe(48);
    expect(runs[0].emails + runs[1].emails).toBe(24);
    expect((await dunning('runs', '--limit', '1', '--json')).runs).toEqual([runs[0]]);
  });

  it('refuses a run dated after now unless it is a dry run, and --simulate with --aws', async () => {
    const env = () => ({
      ...process.env,
      DUNNING_DYNAMODB_PORT: String(store.port),
      DUNNING_SES_PORT: String(mailbox.port),
      DUNNING_TABLE_NAME: store.tableName,
      DUNNING_TARGET: 'local',
    });
    const dunningRaw = dunningIn(env);
    const before = (await mailbox.emails()).length;
    const future = await dunningRaw('run', '--as-of', '2099-01-05', '--json');
    expect(future.code).toBe(1);
    expect(JSON.parse(future.stdout)).toEqual({
      error: expect.stringMatching(
        /^--as-of 2099-01-05T12:00:00.000Z is later than now; use --dry-run .* or --simulate /,
      ),
    });
    const text = await dunningRaw('run', '--as-of', '2099-01-05');
    expect(text).toMatchObject({ code: 1, stdout: '' });
    expect(text.stderr.trim().split('\n')).toHaveLength(1);

    const dry = await dunningRaw('run', '--as-of', '2099-01-05', '--dry-run', '--json');
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({ dryRun: true, failed: 0 });

    const aws = await dunningRaw('run', '--as-of', '2099-01-05', '--simulate', '--aws', '--json');
    expect(aws.code).toBe(1);
    expect(JSON.parse(aws.stdout).error).toBe(
      '--simulate works on the local stack only; it is refused with --aws.',
    );
    expect((await mailbox.emails()).length).toBe(before);
  });
});

describe('dunning run with a customer it cannot work', () => {
  let store: TestStore;
  let mailbox: TestMailbox;

  beforeAll(async () => {
    [store, mailbox] = await Promise.all([startTestStore(), startTestMailbox({ account: SES_ACCOUNT })]);
    // A time zone no calendar knows, written past the importer (which refuses it): the run cannot
    // place this customer's invoice in time.
    await seed(
      store,
      [customer('good'), customer('broken', { timeZone: 'Mars/Olympus_Mons' })],
      [invoice('g1', 'good'), invoice('b1', 'broken', { nextActionAt: '2026-03-02T08:00:00.000Z' })],
    );
  });
  afterAll(async () => {
    await Promise.all([store.stop(), mailbox.stop()]);
  });

  it('sends the others, prints its summary and exits 1', async () => {
    const dunningRaw = dunningIn(() => ({
      ...process.env,
      DUNNING_DYNAMODB_PORT: String(store.port),
      DUNNING_SES_PORT: String(mailbox.port),
      DUNNING_TABLE_NAME: store.tableName,
      DUNNING_TIME_ZONE: 'UTC',
      DUNNING_TARGET: 'local',
    }));
    const result = await dunningRaw('run', '--as-of', '2026-03-10', '--json');
    expect(result.code).toBe(1);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({ considered: 2, sent: 1, emails: 1, failed: 1 });
    expect(summary.failures).toEqual([
      expect.objectContaining({
        customerId: 'broken',
        invoiceIds: ['b1'],
        reason: expect.stringContaining('RangeError'),
      }),
    ]);
    // The emulator keeps one mail store per process, shared with the suite above: look at these two only.
    const to = (await mailbox.emails()).map((email) => email.destination.to[0] ?? '');
    expect(to.filter((address) => /^(good|broken)@/.test(address))).toEqual(['good@customer.example']);

    const shown = await dunningRaw('show', 'b1', '--json');
    expect(JSON.parse(shown.stdout).skips).toEqual([expect.objectContaining({ reason: 'failed' })]);
  });
});
