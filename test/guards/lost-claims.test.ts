import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerKey, invoiceKey } from '../../functions/shared/adapters/dynamodb/keys.ts';
import { customerToItem } from '../../functions/shared/adapters/dynamodb/ledger-items.ts';
import { deletePartitions } from '../../functions/shared/adapters/dynamodb/partitions.ts';
import { readInvoiceAudit } from '../../functions/shared/adapters/dynamodb/run-audit.ts';
import { RunClaims } from '../../functions/shared/adapters/dynamodb/run-claims.ts';
import { RunRecords } from '../../functions/shared/adapters/dynamodb/run-records.ts';
import type { Customer, Invoice } from '../../functions/shared/domain/model.ts';
import { parsePolicy } from '../../functions/shared/domain/policy.ts';
import { gapBoundary } from '../../functions/shared/domain/run/assess.ts';
import type { RunHooks } from '../../functions/shared/domain/run/dependencies.ts';
import {
  buildRun,
  customer,
  factRenderer,
  invoice,
  payInFull,
  policy,
  recordingMailer,
  seed,
} from '../integration/run-support.ts';
import { startTestStore, type TestStore } from '../support/emulators.ts';
import { racing } from '../support/faults.ts';

/**
 * Guard: a run that loses a claim sends nothing it does not hold, and says why it left an invoice.
 * The customer claim lost to a run as of the same instant leaves the reporting to that run; lost to
 * a standing written after the read, it records that standing; lost to another run's reminder, the
 * gap. A stage claim lost twice is judged on the invoice as it now is. What a run claimed before it
 * failed is given back, and the email states what the claims hold, as the invoices now are. Each case
 * works one customer through the run's own store adapters, the competing write made on the store just
 * before the run's own.
 */

// A Tuesday, 13:00 in Berlin: inside business hours; an invoice due on 1 March is at stage `first`.
const asOf = new Date('2026-03-10T12:00:00Z');
const AT = asOf.toISOString();

/** The policy claiming statutory interest under German law (a Berlin customer's) from stage `second`. */
const claimingInterest = () =>
  parsePolicy(
    { ...structuredClone(policy), statutoryInterest: { claimIn: ['DE'], fromStage: 'second' } },
    'test policy',
  );

/** The fact renderer, and after its lines the statutory interest and compensation each line states. */
const statingInterest: typeof factRenderer = (input) => {
  const rendered = factRenderer(input);
  const stated = input.lines.map(
    ({ invoice: { invoiceId }, latePayment: late }) =>
      `${invoiceId}|${late?.interest}|${late?.compensation}|${late?.law}`,
  );
  return { ...rendered, text: [rendered.text, ...stated].join('\n') };
};

const writesTo = (command: unknown, pk: string): boolean =>
  command instanceof UpdateCommand && command.input.Key?.pk === pk;

describe('Guard: a lost claim', () => {
  let store: TestStore;
  let records: RunRecords;
  let claims: RunClaims;
  beforeAll(async () => {
    store = await startTestStore();
    records = new RunRecords(store.documentClient, store.tableName);
    claims = new RunClaims(store.documentClient, store.tableName);
  });
  afterAll(() => store.stop());

  const audit = (invoiceId: string) => readInvoiceAudit(store.documentClient, store.tableName, invoiceId);
  const stored = async (customerId: string) =>
    (
      await store.documentClient.send(
        new GetCommand({ TableName: store.tableName, Key: customerKey(customerId), ConsistentRead: true }),
      )
    ).Item;
  const skipsOf = async (invoiceId: string) =>
    ((await audit(invoiceId))?.skips ?? []).map((skip) => [skip.reason, (skip as { stage?: string }).stage]);
  const counted = (skipped: Record<string, number>) =>
    Object.fromEntries(Object.entries(skipped).filter(([, count]) => count > 0));
  /** A write another writer makes on the invoice as the run read it: it moves the version on. */
  const bump = (read: Invoice, set: string, values: Record<string, unknown>) =>
    store.documentClient.send(
      new UpdateCommand({
        TableName: store.tableName,
        Key: invoiceKey(read.invoiceId),
        UpdateExpression: `SET ${set}, version = version + :one`,
        ConditionExpression: 'version = :version',
        ExpressionAttributeValues: { ...values, ':one': 1, ':version': read.version },
      }),
    );
  const partPay = (read: Invoice) => bump(read, 'amountReceived = :received', { ':received': 20_00 });

  /**
   * Works the customer's due invoices in a run of their own (a deferred run's scope), so that the
   * cases share one store; `race` runs before each of the run's store requests.
   */
  const work = async (
    who: Customer,
    invoices: readonly Invoice[],
    options: {
      race?: (command: unknown) => Promise<void>;
      hooks?: RunHooks;
      policy?: typeof policy;
      render?: typeof factRenderer;
    } = {},
  ) => {
    await seed(store, [who], invoices);
    const { mailer, sent } = recordingMailer();
    const { race, ...overrides } = options;
    const built = buildRun(
      store,
      { endpoint: { kind: 'aws' } },
      {
        mailer,
        ...(race ? { documentClient: racing(store.documentClient, race) } : {}),
        ...overrides,
      },
    );
    const outcome = await built.run.runDeferred(who.customerId, `run-${who.customerId}`, { asOf });
    built.close();
    return { ...outcome, sent, skipped: counted(outcome.summary.skipped) };
  };

  /** Before the run's own customer claim goes out, `write` changes the customer on the store. */
  const beforeCustomerClaim = (who: Customer, write: () => Promise<unknown>) => {
    let done = false;
    return async (command: unknown) => {
      if (done || !writesTo(command, customerKey(who.customerId).pk)) return;
      done = true;
      await write();
    };
  };

  describe('of the customer', () => {
    it('leaves a customer a concurrent run as of the same instant holds: no email, no skip, that run reports them', async () => {
      const who = customer('same-instant');
      const boundary = gapBoundary(who, asOf, policy.minimumGapDays).toISOString();
      const rival = () => records.claimCustomer(who, AT, boundary, 'run-rival');

      const outcome = await work(who, [invoice('si-1', who.customerId)], {
        race: beforeCustomerClaim(who, rival),
      });

      expect(outcome.sent).toHaveLength(0);
      expect(outcome.summary).toMatchObject({ considered: 1, sent: 0, emails: 0, failed: 0 });
      expect(outcome.skipped).toEqual({});
      expect(await skipsOf('si-1')).toEqual([]);
      expect((await audit('si-1'))?.invoice.claims).toEqual({});
      expect(await stored(who.customerId)).toMatchObject({ lastReminderAt: AT, reminderRunId: 'run-rival' });
    });

    it.each([
      ['opted_out', { status: 'opted_out' as const }],
      ['bounced', { status: 'bounced' as const }],
      ['disputed', { status: 'disputed' as const }],
      ['paused', { pausedUntil: '2026-03-20' }],
    ])('records %s, not the gap, for a customer whose standing changed after the run read them', async (reason, standing) => {
      const who = customer(`standing-${reason}`);
      // What customer care writes (a click on the opt-out link, a bounce, a pause) while the run works.
      const change = () =>
        store.documentClient.send(
          new PutCommand({ TableName: store.tableName, Item: customerToItem({ ...who, ...standing }) }),
        );
      const ids = [`${reason}-1`, `${reason}-2`];

      const outcome = await work(
        who,
        ids.map((id) => invoice(id, who.customerId)),
        { race: beforeCustomerClaim(who, change) },
      );

      expect(outcome.sent).toHaveLength(0);
      expect(outcome.skipped).toEqual({ [reason]: 2 });
      for (const id of ids) {
        expect(await skipsOf(id)).toEqual([[reason, 'first']]);
        expect((await audit(id))?.invoice.claims).toEqual({});
      }
    });

    it('records the gap for a customer another run reminded a moment ago', async () => {
      const who = customer('moment-ago');
      const earlier = new Date(asOf.getTime() - 60_000);
      const boundary = gapBoundary(who, earlier, policy.minimumGapDays).toISOString();
      const rival = () => records.claimCustomer(who, earlier.toISOString(), boundary, 'run-rival');

      const outcome = await work(who, [invoice('ma-1', who.customerId)], {
        race: beforeCustomerClaim(who, rival),
      });

      expect(outcome.sent).toHaveLength(0);
      expect(outcome.skipped).toEqual({ min_gap: 1 });
      expect(await skipsOf('ma-1')).toEqual([['min_gap', 'first']]);
      expect((await stored(who.customerId))?.reminderRunId).toBe('run-rival');
    });
  });

  describe('of a stage', () => {
    /** Runs `writes[n]` before the run's n-th attempt to claim a stage of the invoice. */
    const beforeClaims = (invoiceId: string, writes: ((read: Invoice) => Promise<unknown>)[]): RunHooks => {
      let attempt = 0;
      return {
        beforeClaim: async (read) => {
          if (read.invoiceId !== invoiceId) return;
          await writes[attempt++]?.(read);
        },
      };
    };

    it('records the payment that won the claim twice, sends nothing and gives the customer back', async () => {
      const who = customer('paid-twice');

      const outcome = await work(who, [invoice('pt-1', who.customerId)], {
        hooks: beforeClaims('pt-1', [partPay, (read) => payInFull(store, read)]),
      });

      expect(outcome.sent).toHaveLength(0);
      expect(outcome.summary).toMatchObject({ sent: 0, emails: 0, failed: 0 });
      expect(outcome.skipped).toEqual({ paid: 1 });
      expect(await skipsOf('pt-1')).toEqual([['paid', 'first']]);
      expect((await audit('pt-1'))?.invoice).toMatchObject({ status: 'paid', claims: {} });
      expect((await stored(who.customerId))?.lastReminderAt).toBeUndefined();
    });

    it('leaves a stage another run claimed on the fresh copy to that run: no email, no skip', async () => {
      const who = customer('rival-stage');
      const rivalClaim = (read: Invoice) =>
        claims.claimStage(read, {
          stage: 'first',
          status: 'claimed',
          // The real clock: a live claim, not one a dead run left.
          claimedAt: new Date().toISOString(),
          runId: 'run-rival',
          fee: 0,
        });

      const outcome = await work(who, [invoice('rs-1', who.customerId)], {
        hooks: beforeClaims('rs-1', [partPay, rivalClaim]),
      });

      expect(outcome.sent).toHaveLength(0);
      expect(outcome.skipped).toEqual({});
      expect(await skipsOf('rs-1')).toEqual([]);
      expect((await audit('rs-1'))?.invoice.claims.first?.runId).toBe('run-rival');
      expect((await stored(who.customerId))?.lastReminderAt).toBeUndefined();
    });

    it('leaves out an invoice removed while the run claims it, and sends the others in one email', async () => {
      const who = customer('removed');
      const remove = (read: Invoice) =>
        deletePartitions(store.documentClient, store.tableName, [invoiceKey(read.invoiceId).pk]);
      const first = beforeClaims('rm-1', [remove]);
      const second = beforeClaims('rm-2', [partPay, remove]);

      const outcome = await work(
        who,
        ['rm-1', 'rm-2', 'rm-3'].map((id) => invoice(id, who.customerId)),
        {
          hooks: {
            beforeClaim: async (read) => {
              await first.beforeClaim?.(read);
              await second.beforeClaim?.(read);
            },
          },
        },
      );

      expect(outcome.failures).toEqual([]);
      expect(outcome.summary).toMatchObject({ sent: 1, emails: 1, failed: 0 });
      expect(outcome.sent.map((email) => email.text)).toEqual(['N-rm-3|first|fee=0|owed=12000|days=9']);
    });

    it('does not claim a stage other than the one planned when the invoice changed under the run', async () => {
      const who = customer('restaged');
      // A corrected due date, imported after the run read the index: the invoice is now at `second`.
      const redate = (read: Invoice) => bump(read, 'dueDate = :due', { ':due': '2026-02-20' });

      const outcome = await work(
        who,
        ['rd-1', 'rd-2'].map((id) => invoice(id, who.customerId)),
        { hooks: beforeClaims('rd-1', [redate]) },
      );

      expect(outcome.sent.map((email) => email.text)).toEqual(['N-rd-2|first|fee=0|owed=12000|days=9']);
      expect((await audit('rd-1'))?.invoice.claims).toEqual({});
      expect(await skipsOf('rd-1')).toEqual([]);
    });

    it('records on the claim the statutory interest and compensation its reminder states', async () => {
      const who = customer('late-payment');

      // Due on 20 February: 18 days overdue, stage `second`, from which the policy claims interest.
      const outcome = await work(who, [invoice('lp-1', who.customerId, { dueDate: '2026-02-20' })], {
        policy: claimingInterest(),
        render: statingInterest,
      });

      const late = (await audit('lp-1'))?.invoice.claims.second?.latePayment;
      expect(late).toMatchObject({ compensation: 40_00, asOf: '2026-03-10' });
      expect(late?.interest).toBeGreaterThan(0);
      expect(outcome.sent.map((email) => email.text.split('\n')[1])).toEqual([
        `lp-1|${late?.interest}|${late?.compensation}|${late?.law}`,
      ]);
      expect((await audit('lp-1'))?.invoice.charges).toMatchObject({
        interest: { kind: 'interest', amount: late?.interest, stage: 'second' },
        compensation: { kind: 'compensation', amount: 40_00, stage: 'second' },
      });
    });
  });

  describe('and the email it sends', () => {
    /** Runs `write` before the run's first attempt to claim a stage of the invoice. */
    const onFirstClaim = (invoiceId: string, write: (read: Invoice) => Promise<unknown>): RunHooks => {
      let done = false;
      return {
        beforeClaim: async (read) => {
          if (done || read.invoiceId !== invoiceId) return;
          done = true;
          await write(read);
        },
      };
    };

    it('leaves the invoice paid between the plan and its claim out of the email the others go in', async () => {
      const who = customer('paid-last');

      const outcome = await work(
        who,
        ['pl-1', 'pl-2'].map((id) => invoice(id, who.customerId)),
        { hooks: onFirstClaim('pl-2', (read) => payInFull(store, read)) },
      );

      expect(outcome.sent.map((email) => [email.subject, email.text])).toEqual([
        ['Reminder N-pl-1', 'N-pl-1|first|fee=0|owed=12000|days=9'],
      ]);
      expect(outcome.skipped).toEqual({ paid: 1 });
    });

    it('states what is owed now when the one invoice was part paid between the plan and its claim', async () => {
      const who = customer('part-paid');

      const outcome = await work(who, [invoice('pp-1', who.customerId)], {
        hooks: onFirstClaim('pp-1', partPay),
      });

      expect(outcome.sent.map((email) => email.text)).toEqual(['N-pp-1|first|fee=0|owed=10000|days=9']);
    });

    it('states the statutory interest its claims record, also when an invoice changed since the plan', async () => {
      const who = customer('late-changed');
      // Due on 20 February: stage `second`, from which the policy claims interest.
      const ids = ['lc-1', 'lc-2'];

      const outcome = await work(
        who,
        ids.map((id) => invoice(id, who.customerId, { dueDate: '2026-02-20' })),
        { policy: claimingInterest(), render: statingInterest, hooks: onFirstClaim('lc-2', partPay) },
      );

      const recorded = [];
      for (const id of ids) {
        const late = (await audit(id))?.invoice.claims.second?.latePayment;
        expect(late?.compensation).toBe(40_00);
        recorded.push(`${id}|${late?.interest}|${late?.compensation}|${late?.law}`);
      }
      expect(outcome.sent.map((email) => email.text.split('\n').slice(2))).toEqual([recorded]);
      expect(outcome.sent[0]?.text).toContain('N-lc-2|second|fee=0|owed=10000');
    });
  });

  describe('before the send', () => {
    // Stage `third` (its fee charged with the claim) for invoices due on 1 February.
    const overdue = (id: string, customerId: string) => invoice(id, customerId, { dueDate: '2026-02-01' });
    const PREVIOUS = '2026-02-20T10:00:00.000Z';

    /** Throws on the run's second stage claim, after it holds the first: the store gave way mid-claim. */
    const failingSecondClaim = (onFail: () => void = () => {}): RunHooks => {
      let attempts = 0;
      return {
        beforeClaim: async () => {
          attempts += 1;
          if (attempts !== 2) return;
          onFail();
          throw new Error('connection reset by the store');
        },
      };
    };

    it('gives back every claim it made and the customer, and names the error', async () => {
      const who = customer('released', { lastReminderAt: PREVIOUS });
      const ids = ['rl-1', 'rl-2'];

      const outcome = await work(
        who,
        ids.map((id) => overdue(id, who.customerId)),
        { hooks: failingSecondClaim() },
      );

      expect(outcome.sent).toHaveLength(0);
      expect(outcome.summary).toMatchObject({ sent: 0, emails: 0, failed: 2 });
      expect(outcome.failures).toEqual([
        expect.objectContaining({ invoiceIds: ids, reason: 'Error: connection reset by the store' }),
      ]);
      for (const id of ids) expect((await audit(id))?.invoice).toMatchObject({ claims: {}, feesCharged: 0 });
      expect(await stored(who.customerId)).toMatchObject({ lastReminderAt: PREVIOUS });
      expect((await stored(who.customerId))?.reminderRunId).toBeUndefined();
    });

    it('names the error that stopped it, not the release that failed after it', async () => {
      const who = customer('release-failed', { lastReminderAt: PREVIOUS });
      let refuseNext = false;
      const storeGone = async (command: unknown) => {
        if (!refuseNext || !(command instanceof UpdateCommand)) return;
        refuseNext = false;
        throw new Error('the store is unreachable');
      };

      const outcome = await work(
        who,
        ['rf-1', 'rf-2'].map((id) => overdue(id, who.customerId)),
        {
          hooks: failingSecondClaim(() => {
            refuseNext = true;
          }),
          race: storeGone,
        },
      );

      expect(outcome.failures.map((failure) => failure.reason)).toEqual([
        'Error: connection reset by the store',
      ]);
      // Nothing went out; what could not be given back ages out as an unknown outcome, never resent.
      expect(outcome.sent).toHaveLength(0);
      const held = Object.values((await audit('rf-1'))?.invoice.claims ?? {});
      const other = Object.values((await audit('rf-2'))?.invoice.claims ?? {});
      expect([...held, ...other].map((claim) => claim.status)).toEqual(['claimed']);
      expect(await stored(who.customerId)).toMatchObject({ lastReminderAt: AT });
    });
  });
});
