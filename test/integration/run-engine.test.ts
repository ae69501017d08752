import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { meterStore } from '../../bench/metering.ts';
import { benchAsOf, benchPortfolio } from '../../bench/portfolio.ts';
import { measureRun } from '../../bench/run-figures.ts';
import { writePortfolioCsv } from '../../cli/demo/portfolio.ts';
import { createDocumentClient, createDynamoClient } from '../../functions/shared/adapters/dynamodb/client.ts';
import { createTableInput } from '../../functions/shared/adapters/dynamodb/create-tables.ts';
import { invoiceKey } from '../../functions/shared/adapters/dynamodb/keys.ts';
import { readInvoiceAudit } from '../../functions/shared/adapters/dynamodb/run-audit.ts';
import { importFile } from '../../functions/shared/composition/import.ts';
import { loadConfig, localConfigSchema } from '../../functions/shared/config.ts';
import { localDate } from '../../functions/shared/domain/calendar.ts';
import type { Invoice } from '../../functions/shared/domain/model.ts';
import { showDocument } from '../../functions/shared/domain/run/audit.ts';
import { ledgerTable } from '../../functions/shared/tables.ts';
import type { SentEmail, TestMailbox, TestStore } from '../support/emulators.ts';
import { startTestMailbox, startTestStore } from '../support/emulators.ts';
import {
  buildRun,
  customer,
  factRenderer,
  invoice,
  payInFull,
  policy,
  SES_ACCOUNT,
  seed,
} from './run-support.ts';

// A Tuesday, 13:00 in Berlin: inside business hours for the default customers.
const asOf = new Date('2026-03-10T12:00:00Z');

const COLLECTIONS = 'collections@northwind.example';

type MailWithHeaders = SentEmail & { headers?: { name: string; value: string }[] };

describe('The dunning run against dynalite and the SES emulator', () => {
  let mailbox: TestMailbox;
  let store: TestStore;

  beforeAll(async () => {
    mailbox = await startTestMailbox({ account: SES_ACCOUNT });
  });
  afterAll(async () => {
    await mailbox.stop();
  });
  beforeEach(async () => {
    store = await startTestStore();
    await mailbox.clear();
  });
  afterEach(() => store.stop());

  const audit = (invoiceId: string) => readInvoiceAudit(store.documentClient, store.tableName, invoiceId);
  const mail = async () => (await mailbox.emails()) as MailWithHeaders[];
  /** A part payment as the payment webhook writes it: conditioned on the version read, which it moves on. */
  const partPay = (read: Invoice, amount: number) =>
    store.documentClient.send(
      new UpdateCommand({
        TableName: store.tableName,
        Key: invoiceKey(read.invoiceId),
        UpdateExpression: 'SET amountReceived = :received, version = version + :one',
        ConditionExpression: 'version = :version',
        ExpressionAttributeValues: { ':received': amount, ':one': 1, ':version': read.version },
      }),
    );

  it('sends one email per customer listing every due invoice, the late one at its highest stage only', async () => {
    await seed(
      store,
      [customer('c1'), customer('c2')],
      [
        invoice('a1', 'c1', { dueDate: '2026-03-01' }),
        invoice('a2', 'c1', { dueDate: '2026-02-01' }),
        invoice('a3', 'c1', { dueDate: '2026-03-20' }),
        invoice('b1', 'c2', { dueDate: '2026-03-05' }),
      ],
    );
    const { run, close } = buildRun(store, mailbox);

    const { summary } = await run.run({ asOf });
    close();

    expect(summary).toMatchObject({
      considered: 3,
      sent: 3,
      emails: 2,
      deferred: 0,
      failed: 0,
      dryRun: false,
    });
    const emails = await mail();
    expect(emails).toHaveLength(2);
    const toC1 = emails.find((email) => email.destination.to[0] === 'c1@customer.example');
    expect(toC1?.destination.to).toEqual(['c1@customer.example']);
    // Replies reach a person: the policy's contact address; the sender shows the company's name.
    expect(toC1?.replyTo).toEqual([policy.company.contactEmail]);
    expect(toC1?.from).toBe(`"${policy.company.name}" <billing@dunning.local>`);
    expect(toC1?.body.text?.split('\n').sort()).toEqual([
      'N-a1|first|fee=0|owed=12000|days=9',
      'N-a2|third|fee=1500|owed=13500|days=37',
    ]);
    expect(toC1?.headers).toEqual(
      expect.arrayContaining([
        { name: 'List-Unsubscribe', value: '<https://dunning.example/optout?customer=c1>' },
        { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
      ]),
    );
    const a2 = await audit('a2');
    expect(Object.keys(a2?.invoice.claims ?? {})).toEqual(['third']);
    expect(a2?.invoice).toMatchObject({
      stage: 'third',
      feesCharged: 1500,
      nextActionAt: '2026-03-17T23:00:00.000Z',
    });
    expect(a2 && showDocument(a2).reminders).toEqual([
      expect.objectContaining({ stage: 'third', status: 'sent', fee: 1500, messageId: toC1?.messageId }),
    ]);
  });

  it('sends nothing more when the same run is repeated', async () => {
    await seed(store, [customer('c1')], [invoice('a1', 'c1')]);
    const { run, close } = buildRun(store, mailbox);

    await run.run({ asOf });
    const again = await run.run({ asOf });
    close();

    expect(again.summary).toMatchObject({ considered: 0, sent: 0, emails: 0 });
    expect(await mail()).toHaveLength(1);
  });

  it('moves an invoice through its stages, one reminder each, a stage sent earlier never held against it', async () => {
    await seed(store, [customer('c1')], [invoice('a1', 'c1')]);
    const days = (from: Date, count: number) => new Date(from.getTime() + count * 86_400_000);
    // Due 1 March: `first` on the 10th, `second` from the 15th, `third` from the 31st (all Tuesdays here).
    const runs = [
      { asOf, clock: undefined },
      { asOf: days(asOf, 7), clock: undefined },
      // Half an hour later on the real clock: the claims sent earlier are past any live run's age.
      { asOf: days(asOf, 21), clock: () => new Date(Date.now() + 30 * 60_000) },
    ];
    const summaries = [];
    for (const { asOf: day, clock } of runs) {
      const { run, close } = buildRun(store, mailbox, clock ? { clock } : {});
      summaries.push((await run.run({ asOf: day })).summary);
      close();
    }

    for (const summary of summaries) {
      expect(summary).toMatchObject({ considered: 1, sent: 1, emails: 1, failed: 0 });
      expect(Object.values(summary.skipped).every((count) => count === 0)).toBe(true);
    }
    expect((await mail()).map((email) => email.body.text?.split('|')[1])).toEqual([
      'first',
      'second',
      'third',
    ]);
    // A map in the store: its keys come back in no set order.
    const claims = (await audit('a1'))?.invoice.claims ?? {};
    expect(Object.keys(claims).sort()).toEqual(['first', 'second', 'third']);
    expect(Object.values(claims).map((claim) => claim.status)).toEqual(['sent', 'sent', 'sent']);
  });

  it('records and counts every kind of skip and sends none of them', async () => {
    await seed(
      store,
      [
        customer('paused', { pausedUntil: '2026-03-20' }),
        customer('disputed', { status: 'disputed' }),
        customer('optout', { status: 'opted_out' }),
        customer('bounced', { status: 'bounced' }),
        customer('gap', { lastReminderAt: '2026-03-09T10:00:00.000Z' }),
        customer('ok'),
      ],
      [
        invoice('p1', 'paused'),
        invoice('d1', 'disputed'),
        invoice('o1', 'optout'),
        invoice('b1', 'bounced'),
        invoice('g1', 'gap'),
        invoice('small', 'ok', { amountDue: 50 }),
        invoice('flagged', 'ok', { flags: ['currency_mismatch'], nextActionAt: '2026-03-02T00:00:00.000Z' }),
        invoice('paid', 'ok', { amountReceived: 120_00, nextActionAt: '2026-03-02T00:00:00.000Z' }),
      ],
    );
    const { run, close } = buildRun(store, mailbox);

    const { summary } = await run.run({ asOf });
    close();

    expect(summary.skipped).toEqual({
      paused: 1,
      disputed: 1,
      opted_out: 1,
      bounced: 1,
      paid: 1,
      below_minimum: 1,
      currency_mismatch: 1,
      min_gap: 1,
      unknown_outcome: 0,
      promised: 0,
      paid_claimed: 0,
      plan_requested: 0,
    });
    expect(summary).toMatchObject({ considered: 8, sent: 0, emails: 0 });
    expect(await mail()).toHaveLength(0);
    expect((await audit('p1'))?.skips).toEqual([{ ...(await audit('p1'))?.skips[0], reason: 'paused' }]);
    expect((await audit('paid'))?.invoice.nextActionAt).toBeUndefined();
    expect((await audit('flagged'))?.invoice.nextActionAt).toBeUndefined();
  });

  it('hands the final stage to a person: last notice, call task, one digest to collections', async () => {
    await seed(store, [customer('c1')], [invoice('late', 'c1', { dueDate: '2026-01-01' })]);
    const { run, close } = buildRun(store, mailbox);

    const { summary } = await run.run({ asOf });
    close();

    expect(summary).toMatchObject({ sent: 1, emails: 1 });
    const emails = await mail();
    expect(emails.map((email) => email.destination.to[0]).sort()).toEqual([
      'c1@customer.example',
      'collections@northwind.example',
    ]);
    expect(emails.find((email) => email.destination.to[0] === 'c1@customer.example')?.body.text).toBe(
      'N-late|final|fee=180|owed=12180|days=68',
    );
    const digest = emails.find((email) => email.destination.to[0] === 'collections@northwind.example');
    expect(digest?.body.text).toContain('N-late');
    expect(digest?.body.text).toContain('68 days overdue');
    const late = await audit('late');
    expect(late?.invoice).toMatchObject({ status: 'handed_off', stage: 'final' });
    expect(late?.invoice.nextActionAt).toBeUndefined();
    expect(late?.callTask).toMatchObject({ stage: 'final', status: 'open', assignee: 'Collections desk' });
  });

  it('defers a customer whose local time is night to their next opening, then sends then', async () => {
    await seed(store, [customer('tokyo', { timeZone: 'Asia/Tokyo' })], [invoice('t1', 'tokyo')]);
    const { run, close, deferrals } = buildRun(store, mailbox);

    const first = await run.run({ asOf }); // 21:00 in Tokyo
    const pending = await deferrals.due(new Date('2026-03-11T00:00:00Z'));
    const later = await run.runOpening(new Date('2026-03-11T00:00:00Z'), {
      asOf: new Date('2026-03-11T00:01:00Z'),
    });
    close();

    expect(first.summary).toMatchObject({ deferred: 1, sent: 0, emails: 0 });
    expect(pending).toEqual([
      { customerId: 'tokyo', runId: first.runId, at: new Date('2026-03-11T00:00:00Z') },
    ]);
    expect(later.summary).toMatchObject({ sent: 1, emails: 1 });
    expect(await mail()).toHaveLength(1);
    expect(await deferrals.due(new Date('2026-03-12T00:00:00Z'))).toEqual([]);
  });

  it("works every customer waiting for an opening in one run, and leaves a later opening's customers waiting", async () => {
    await seed(
      store,
      [
        customer('tokyo', { timeZone: 'Asia/Tokyo' }),
        customer('seoul', { timeZone: 'Asia/Seoul' }),
        customer('kolkata', { timeZone: 'Asia/Kolkata' }),
      ],
      [invoice('t1', 'tokyo'), invoice('s1', 'seoul'), invoice('k1', 'kolkata')],
    );
    const { run, close, deferrals } = buildRun(store, mailbox);

    // 21:00 in Tokyo and Seoul (both open at 00:00 UTC), 17:30 in Kolkata (opens at 03:30 UTC).
    const first = await run.run({ asOf });
    const tokyoOpening = await run.runOpening(new Date('2026-03-11T00:00:00Z'), {
      asOf: new Date('2026-03-11T00:01:00Z'),
    });
    const waiting = await deferrals.due(new Date('2026-03-12T00:00:00Z'));
    const kolkataOpening = await run.runOpening(new Date('2026-03-11T03:30:00Z'), {
      asOf: new Date('2026-03-11T03:31:00Z'),
    });
    close();

    expect(first.summary).toMatchObject({ deferred: 3, sent: 0 });
    expect(tokyoOpening).toMatchObject({ runId: 'opening-20260311T0000Z', done: true });
    expect(tokyoOpening.summary).toMatchObject({ sent: 2, emails: 2 });
    expect(waiting.map((entry) => entry.customerId)).toEqual(['kolkata']);
    expect(kolkataOpening.summary).toMatchObject({ sent: 1, emails: 1 });
    expect((await mail()).map((email) => email.destination.to[0]).sort()).toEqual([
      'kolkata@customer.example',
      'seoul@customer.example',
      'tokyo@customer.example',
    ]);
    expect(await deferrals.due(new Date('2026-03-12T00:00:00Z'))).toEqual([]);
  });

  it("defers a reminder that falls on a public holiday of the customer's country past it, like a weekend", async () => {
    // Christmas Day 2026 is a Friday; in England Boxing Day falls on Saturday, so Monday 28 is its substitute.
    const christmas = new Date('2026-12-25T11:00:00Z');
    await seed(
      store,
      [
        customer('london', { timeZone: 'Europe/London', country: 'GB' }),
        customer('tokyo', { timeZone: 'Asia/Tokyo', country: 'JP' }),
      ],
      [invoice('l1', 'london', { dueDate: '2026-12-20' }), invoice('t1', 'tokyo', { dueDate: '2026-12-20' })],
    );
    const { run, close, deferrals } = buildRun(store, mailbox);

    const first = await run.run({ asOf: christmas });
    const pending = await deferrals.due(new Date('2027-01-01T00:00:00Z'));
    close();

    // Tokyo works on 25 December: 20:00 there is after hours, so it opens on Monday 28 at 09:00.
    expect(first.summary).toMatchObject({ deferred: 2, sent: 0, emails: 0 });
    expect(pending).toEqual(
      expect.arrayContaining([
        { customerId: 'london', runId: first.runId, at: new Date('2026-12-29T09:00:00Z') },
        { customerId: 'tokyo', runId: first.runId, at: new Date('2026-12-28T00:00:00Z') },
      ]),
    );
    expect(await mail()).toHaveLength(0);
  });

  it('stops the reminder of an invoice paid between the read and the send', async () => {
    await seed(store, [customer('c1')], [invoice('a1', 'c1')]);
    const { run, close } = buildRun(store, mailbox, {
      hooks: { beforeClaim: (read) => payInFull(store, read) },
    });

    const { summary } = await run.run({ asOf });
    close();

    expect(summary).toMatchObject({ sent: 0, emails: 0, skipped: expect.objectContaining({ paid: 1 }) });
    expect(await mail()).toHaveLength(0);
    expect((await audit('a1'))?.invoice.claims).toEqual({});
  });

  it('claims on the invoice as the due index gave it, and reads it afresh when it changed since', async () => {
    await seed(store, [customer('c1')], [invoice('a1', 'c1'), invoice('b1', 'c1')]);
    const seen: { invoiceId: string; version: number }[] = [];
    const { run, close } = buildRun(store, mailbox, {
      hooks: {
        beforeClaim: async (read) => {
          seen.push({ invoiceId: read.invoiceId, version: read.version });
          // b1 is part paid after the run read the due index: its copy there is one version behind.
          if (read.invoiceId === 'b1' && seen.filter((one) => one.invoiceId === 'b1').length === 1)
            await partPay(read, 20_00);
        },
      },
    });

    const { summary } = await run.run({ asOf });
    close();

    // a1 is claimed on the index's copy, never read again; b1's claim on its stale copy is refused,
    // and the claim on the copy read afresh goes through with what the payment left owed.
    expect(seen).toEqual([
      { invoiceId: 'a1', version: 1 },
      { invoiceId: 'b1', version: 1 },
      { invoiceId: 'b1', version: 2 },
    ]);
    expect(summary).toMatchObject({ sent: 2, emails: 1, failed: 0 });
    const [email] = await mail();
    expect(email?.body.text?.split('\n').sort()).toEqual([
      'N-a1|first|fee=0|owed=12000|days=9',
      'N-b1|first|fee=0|owed=10000|days=9',
    ]);
    expect(Object.keys((await audit('b1'))?.invoice.claims ?? {})).toEqual(['first']);
  });

  it('never resends a reminder whose run died between send and record, and flags it', async () => {
    await seed(store, [customer('c1')], [invoice('a1', 'c1')]);
    const crashing = buildRun(store, mailbox, {
      hooks: {
        afterSend: async () => {
          throw new Error('process killed');
        },
      },
    });
    // The run carries on past the customer; what it could not record is in the audit trail.
    const crashed = await crashing.run.run({ asOf });
    crashing.close();
    expect(crashed.summary).toMatchObject({ sent: 1, emails: 1, failed: 0 });
    expect(crashed.failures).toEqual([
      expect.objectContaining({
        customerId: 'c1',
        invoiceIds: ['a1'],
        reason: expect.stringMatching(/^sent as message .+ but not recorded: Error: process killed$/),
      }),
    ]);
    const soon = buildRun(store, mailbox);
    const later = buildRun(store, mailbox, { clock: () => new Date(Date.now() + 21 * 60_000) });

    const whileFresh = await soon.run.run({ asOf });
    const afterwards = await later.run.run({ asOf });
    soon.close();
    later.close();

    expect(whileFresh.summary).toMatchObject({ sent: 0, emails: 0 });
    expect(afterwards.summary).toMatchObject({
      sent: 0,
      emails: 0,
      skipped: expect.objectContaining({ unknown_outcome: 1 }),
    });
    expect(await mail()).toHaveLength(1);
    const a1 = await audit('a1');
    expect(a1?.invoice.claims.first?.status).toBe('unknown');
    expect(a1?.needsAttention).toContain('first');
  });

  it('counts a permanent rejection as failed, never as sent, and takes the fee back', async () => {
    await seed(store, [customer('c1')], [invoice('a2', 'c1', { dueDate: '2026-02-01' })]);
    const { run, close } = buildRun(store, mailbox, {
      // The emulator refuses a message without a subject with a 400, as SES refuses a bad message.
      render: (input) => ({ ...factRenderer(input), subject: '' }),
    });

    const { summary } = await run.run({ asOf });
    close();

    expect(summary).toMatchObject({ sent: 0, emails: 0, failed: 1 });
    expect(await mail()).toHaveLength(0);
    const a2 = await audit('a2');
    expect(a2?.invoice.claims.third?.status).toBe('failed');
    expect(a2?.invoice.feesCharged).toBe(0);
  });

  it('splits a run that runs out of time into parts, sending each reminder once', async () => {
    const ids = ['c1', 'c2', 'c3', 'c4', 'c5'];
    await seed(
      store,
      ids.map((id) => customer(id)),
      ids.map((id) => invoice(`i-${id}`, id)),
    );
    const continued: string[] = [];
    const { run, close } = buildRun(store, mailbox, {
      concurrency: 1,
      continueLater: async (runId) => {
        continued.push(runId);
      },
    });
    // Each invocation may start two groups of customers before its time is up.
    const budget = () => {
      let groups = 0;
      return () => (groups++ < 2 ? 1 : 0);
    };

    let outcome = await run.run({ asOf, timeLeft: budget() });
    let invocations = 1;
    while (!outcome.done) {
      outcome = await run.resume(outcome.runId, budget());
      invocations += 1;
    }
    close();

    expect(invocations).toBe(3);
    expect(continued).toHaveLength(2);
    expect(outcome.summary).toMatchObject({ considered: 5, sent: 5, emails: 5 });
    const emails = await mail();
    expect(emails.map((email) => email.destination.to[0]).sort()).toEqual(
      ids.map((id) => `${id}@customer.example`),
    );
  });

  it("continues an opening's run from its checkpoint until every waiting customer is worked", async () => {
    const ids = ['t1', 't2', 't3', 't4'];
    await seed(
      store,
      ids.map((id) => customer(id, { timeZone: 'Asia/Tokyo' })),
      ids.map((id) => invoice(`i-${id}`, id)),
    );
    const continued: string[] = [];
    const { run, close, deferrals } = buildRun(store, mailbox, {
      concurrency: 1,
      continueLater: async (runId) => {
        continued.push(runId);
      },
    });
    await run.run({ asOf }); // 21:00 in Tokyo: all four wait for 00:00 UTC
    let groups = 0;

    let outcome = await run.runOpening(new Date('2026-03-11T00:00:00Z'), {
      asOf: new Date('2026-03-11T00:01:00Z'),
      timeLeft: () => (groups++ < 2 ? 1 : 0),
    });
    const waitingAfterFirstPart = await deferrals.due(new Date('2026-03-12T00:00:00Z'));
    const firstPart = outcome.done;
    while (!outcome.done) outcome = await run.resume(outcome.runId);
    close();

    expect(firstPart).toBe(false);
    expect(continued).toEqual(['opening-20260311T0000Z']);
    expect(waitingAfterFirstPart.map((entry) => entry.customerId)).toEqual(['t3', 't4']);
    expect(outcome.summary).toMatchObject({ considered: 4, sent: 4, emails: 4 });
    expect(await mail()).toHaveLength(4);
    expect(await deferrals.due(new Date('2026-03-12T00:00:00Z'))).toEqual([]);
  });

  describe('reads and writes per reminder', () => {
    it('reads at most 2 items and writes at most 3 per reminder on an imported bench portfolio', async () => {
      // Prepare: the bench's portfolio, small: 20 due invoices in 20 customers, 4 of them handed off.
      const benchDay = benchAsOf(new Date('2026-03-20T12:00:00Z'));
      const folder = await mkdtemp(join(tmpdir(), 'dunning-run-reads-'));
      const file = join(folder, 'portfolio.csv');
      await writePortfolioCsv(
        file,
        benchPortfolio({ today: localDate(benchDay, 'UTC'), invoices: 200, prefix: 'R' }),
      );
      const defaults = { timeZone: 'UTC', paymentUrlTemplate: 'https://pay.example.com/{invoiceId}' };
      await importFile(
        {
          client: store.documentClient,
          tableName: store.tableName,
          policy,
          defaultTimeZone: 'UTC',
          defaults,
        },
        file,
      );
      await rm(folder, { recursive: true, force: true });
      const dynamo = createDynamoClient(store.endpoint);
      const metering = meterStore(dynamo);
      const documentClient = createDocumentClient(dynamo);

      // Act
      const { summary, store: meter } = await measureRun({
        config: loadConfig(localConfigSchema, {}),
        tableName: store.tableName,
        documentClient,
        metering,
        sesEndpoint: mailbox.endpoint,
        asOf: benchDay,
      });
      documentClient.destroy();

      // Assess: the due query and the customer are one read each; the claim takes the index's copy.
      expect(summary).toMatchObject({ considered: 20, sent: 20, emails: 20, failed: 0 });
      expect(meter.read / summary.sent).toBeLessThanOrEqual(2);
      expect(meter.failedConditions).toBe(0);
      // The customer claim, the stage claim and the claim marked sent; the run record's two writes
      // (taken, finished) are per run, not per reminder.
      expect((meter.written - 2) / summary.sent).toBeLessThanOrEqual(3);
      expect(meter.byCommand.ScanCommand).toBeUndefined();
      expect((await mail()).filter((email) => email.destination.to[0] === COLLECTIONS)).toHaveLength(1);
    });

    it('sends the hand-off digest of a run split in parts once, even when its last part runs twice', async () => {
      // Prepare: two customers with an invoice at its final stage, one customer per part.
      await seed(
        store,
        [customer('c1'), customer('c2')],
        [invoice('f1', 'c1', { dueDate: '2026-01-05' }), invoice('f2', 'c2', { dueDate: '2026-01-05' })],
      );
      const { run, close } = buildRun(store, mailbox, { concurrency: 1, continueLater: async () => {} });
      const onePart = () => {
        let groups = 0;
        return () => (groups++ < 1 ? 1 : 0);
      };

      // Act: the last part again, as a retried invocation would.
      let outcome = await run.run({ asOf, timeLeft: onePart() });
      while (!outcome.done) outcome = await run.resume(outcome.runId, onePart());
      const again = await run.resume(outcome.runId);
      close();

      // Assess
      expect(again.done).toBe(true);
      const emails = await mail();
      expect(emails.map((email) => email.destination.to[0]).sort()).toEqual([
        'c1@customer.example',
        'c2@customer.example',
        COLLECTIONS,
      ]);
      const digest = emails.find((email) => email.destination.to[0] === COLLECTIONS);
      expect(digest?.body.text).toContain('invoice N-f1');
      expect(digest?.body.text).toContain('invoice N-f2');
    });

    it('still finds due invoices in a store whose due index was created keys-only', async () => {
      // Prepare: the table as stores created before the index carried whole invoices hold it.
      const keysOnly = {
        ...ledgerTable,
        globalSecondaryIndexes: ledgerTable.globalSecondaryIndexes.map((index) =>
          index.indexName === 'due' ? { ...index, projection: 'KEYS_ONLY' as const } : index,
        ),
      };
      const dynamo = createDynamoClient(store.endpoint);
      await dynamo.send(new CreateTableCommand(createTableInput(keysOnly, 'keys-only-ledger')));
      // A new table is CREATING for a moment; writing to it then is "resource not found".
      await waitUntilTableExists(
        { client: dynamo, minDelay: 1, maxWaitTime: 30 },
        { TableName: 'keys-only-ledger' },
      );
      dynamo.destroy();
      const old = { ...store, tableName: 'keys-only-ledger' };
      await seed(old, [customer('c1')], [invoice('a1', 'c1', { dueDate: '2026-03-01' })]);
      const { run, close } = buildRun(old, mailbox);

      // Act
      const { summary } = await run.run({ asOf });
      close();

      // Assess
      expect(summary).toMatchObject({ considered: 1, sent: 1, emails: 1 });
      expect((await mail()).map((email) => email.destination.to[0])).toEqual(['c1@customer.example']);
    });
  });
});
