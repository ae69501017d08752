import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoAnswerLedger } from '../../functions/shared/adapters/dynamodb/answer-store.ts';
import { invoiceKey } from '../../functions/shared/adapters/dynamodb/keys.ts';
import { itemToInvoice } from '../../functions/shared/adapters/dynamodb/ledger-items.ts';
import { DynamoReportReads } from '../../functions/shared/adapters/dynamodb/report-reads.ts';
import { readInvoiceAudit } from '../../functions/shared/adapters/dynamodb/run-audit.ts';
import type { InvoiceAnswer } from '../../functions/shared/domain/answers/kinds.ts';
import { collectReport } from '../../functions/shared/domain/report/collect.ts';
import { reportMoment } from '../../functions/shared/domain/report/period.ts';
import { showDocument } from '../../functions/shared/domain/run/audit.ts';
import { startTestMailbox, startTestStore, type TestMailbox, type TestStore } from '../support/emulators.ts';
import { buildRun, customer, invoice, payInFull, policy, SES_ACCOUNT, seed } from './run-support.ts';

/** Tuesday 2026-03-17, 10:00 in Berlin: the customers' answers of early March have run their days. */
const AS_OF = new Date('2026-03-17T09:00:00Z');
const answered = '2026-03-05T10:00:00.000Z';
const promise: InvoiceAnswer = {
  answerId: 'a-promise',
  kind: 'promise',
  at: answered,
  status: 'held',
  promisedFor: '2026-03-10',
  heldThrough: '2026-03-13',
};
const claim: InvoiceAnswer = {
  answerId: 'a-paid',
  kind: 'paid',
  at: answered,
  status: 'held',
  paidOn: '2026-03-04',
  reference: 'TX-9',
  heldThrough: '2026-03-10',
};
const plan: InvoiceAnswer = { answerId: 'a-plan', kind: 'plan', at: answered, status: 'held' };
const kept: InvoiceAnswer = { ...promise, answerId: 'a-kept' };
// Due 2026-03-02: the second stage (+14) is due on 2026-03-16; the first was sent before the answers.
const sentFirst = {
  claims: {
    first: {
      stage: 'first',
      status: 'sent' as const,
      claimedAt: '2026-03-03T09:00:00.000Z',
      sentAt: '2026-03-03T09:00:01.000Z',
      runId: 'r0',
    },
  },
  stage: 'first',
  dueDate: '2026-03-02',
  nextActionAt: '2026-03-05T10:00:00.000Z',
};
const people = ['pia', 'uli', 'pat', 'kim'].map((id) => customer(id));

let store: TestStore;
let mailbox: TestMailbox;
const readInvoice = async (id: string) =>
  itemToInvoice(
    (
      await store.documentClient.send(
        new GetCommand({ TableName: store.tableName, Key: invoiceKey(id), ConsistentRead: true }),
      )
    ).Item ?? {},
  );

beforeAll(async () => {
  [store, mailbox] = await Promise.all([startTestStore(), startTestMailbox({ account: SES_ACCOUNT })]);
  await seed(store, people, [
    invoice('P-1', 'pia', { ...sentFirst, answer: promise }),
    invoice('U-1', 'uli', { ...sentFirst, answer: claim }),
    invoice('L-1', 'pat', { ...sentFirst, answer: plan }),
    invoice('K-1', 'kim', { ...sentFirst, answer: kept }),
  ]);
  await payInFull(store, await readInvoice('K-1'));
  const ledger = new DynamoAnswerLedger(store.documentClient, store.tableName);
  for (const [customerId, invoiceId, answer] of [
    ['pia', 'P-1', promise],
    ['kim', 'K-1', kept],
  ] as const)
    await ledger.recordAnswer({
      answerId: answer.answerId,
      customerId,
      kind: answer.kind,
      at: answer.at,
      invoiceIds: [invoiceId],
      promisedFor: answer.promisedFor,
      heldThrough: answer.heldThrough,
      linkId: 'link-1',
    });
}, 60_000);
afterAll(async () => {
  await Promise.all([store?.stop(), mailbox?.stop()]);
});

describe('The run after the customers’ answers', () => {
  it('records a broken promise and an unmatched claim, resumes with wording about them, and holds the plan', async () => {
    const { run, preview, close } = buildRun(store, mailbox, { render: undefined });
    // The preview settles the lapsed promise in memory only, and so renders what the run will send.
    const previewed = await preview.preview({ invoiceId: 'P-1', asOf: AS_OF });
    expect((await readInvoice('P-1')).answer).toMatchObject({ status: 'held' });
    const { summary } = await run.run({ asOf: AS_OF });
    close();

    expect(summary.skipped.plan_requested).toBe(1);
    expect(summary.sent).toBe(2);
    expect((await readInvoice('P-1')).answer).toMatchObject({
      status: 'broken',
      settledAt: AS_OF.toISOString(),
    });
    expect((await readInvoice('U-1')).answer).toMatchObject({ status: 'unmatched' });
    expect((await readInvoice('L-1')).answer).toMatchObject({ status: 'held' });
    // Held, not closed: the plan request stays in the due index, so every run looks at it again.
    expect((await readInvoice('L-1')).nextActionAt).toBe(sentFirst.nextActionAt);

    const mails = await mailbox.emails();
    const to = (address: string) => mails.filter((mail) => mail.destination.to.includes(address));
    expect(to('pia@customer.example')[0]?.body.text).toContain(
      'you told us you would pay invoice N-P-1 by March 10, 2026. That date has passed',
    );
    expect(previewed).toMatchObject({ kind: 'email', stage: { name: 'second' } });
    expect(previewed.kind === 'email' && previewed.email.text).toBe(to('pia@customer.example')[0]?.body.text);
    expect(to('uli@customer.example')[0]?.body.text).toContain(
      'you told us you had paid invoice N-U-1 on March 4, 2026 (reference TX-9), but the payment has not reached us',
    );
    const notices = to('collections@northwind.example');
    expect(notices.map((mail) => mail.subject)).toEqual(['Payment not found: N-U-1 from Customer uli']);
    expect(to('pat@customer.example')).toEqual([]);
  });

  it('shows each answer with its status in dunning show, and the open ones in the report', async () => {
    const show = async (id: string) => {
      const audit = await readInvoiceAudit(store.documentClient, store.tableName, id);
      return audit && showDocument(audit, AS_OF);
    };
    expect((await show('P-1'))?.responses).toEqual([
      expect.objectContaining({
        kind: 'promise',
        status: 'broken',
        promisedFor: '2026-03-10',
        invoiceIds: ['P-1'],
      }),
    ]);
    expect((await show('K-1'))?.responses).toEqual([
      expect.objectContaining({ kind: 'promise', status: 'kept' }),
    ]);

    const report = await collectReport(
      new DynamoReportReads(store.documentClient, store.tableName, 'UTC'),
      reportMoment('2026-03-17', 'UTC', AS_OF),
      'UTC',
    );
    expect(
      report.customerResponses.map(({ customerId, invoiceIds, kind, status }) => ({
        customerId,
        invoiceIds,
        kind,
        status,
      })),
    ).toEqual(
      expect.arrayContaining([
        { customerId: 'pia', invoiceIds: ['P-1'], kind: 'promise', status: 'broken' },
        { customerId: 'uli', invoiceIds: ['U-1'], kind: 'paid', status: 'unmatched' },
        { customerId: 'pat', invoiceIds: ['L-1'], kind: 'plan', status: 'held' },
      ]),
    );
    expect(report.customerResponses).toHaveLength(3);
    expect(report.needsAPerson.brokenPromises.map((line) => line.customerId)).toEqual(['pia']);
    expect(report.needsAPerson.unmatchedPaymentClaims.map((line) => line.customerId)).toEqual(['uli']);
    expect(report.needsAPerson.planRequests.map((line) => line.customerId)).toEqual(['pat']);
    expect(report.promises).toEqual([{ currency: 'EUR', kept: 1, broken: 1 }]);
  });

  it('lets reminders resume for a plan request once an operator acts', async () => {
    const resolved = await new DynamoAnswerLedger(store.documentClient, store.tableName).resolvePlanRequests(
      'pat',
    );
    expect(resolved).toEqual(['L-1']);
    const { run, close } = buildRun(store, mailbox);
    const { summary } = await run.run({ asOf: new Date('2026-03-18T09:00:00Z') });
    close();
    expect(summary.skipped.plan_requested).toBe(0);
    expect((await readInvoice('L-1')).answer?.status).toBe('resolved');
    expect((await readInvoice('L-1')).claims.second?.status).toBe('sent');
  });

  it('hands a broken promise to a person at once when the policy says so', async () => {
    await seed(
      store,
      [customer('hal')],
      [invoice('H-1', 'hal', { ...sentFirst, answer: { ...promise, answerId: 'a-hal' } })],
    );
    const { run, close } = buildRun(store, mailbox, {
      policy: { ...policy, answers: { ...policy.answers, brokenPromiseHandsOff: true } },
    });
    await mailbox.clear();
    await run.run({ asOf: new Date('2026-03-19T09:00:00Z') });
    close();
    const bill = await readInvoice('H-1');
    expect(bill.status).toBe('handed_off');
    expect(bill.answer?.status).toBe('broken');
    const digest = (await mailbox.emails()).find((mail) =>
      mail.destination.to.includes('collections@northwind.example'),
    );
    expect(digest?.body.text).toContain('N-H-1');
    expect(
      (await mailbox.emails()).filter((mail) => mail.destination.to.includes('hal@customer.example')),
    ).toEqual([]);
  });
});
