import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoAnswerLedger } from '../../functions/shared/adapters/dynamodb/answer-store.ts';
import { isConditionFailed } from '../../functions/shared/adapters/dynamodb/conditions.ts';
import { answerKey, answerLinkKey } from '../../functions/shared/adapters/dynamodb/keys.ts';
import type { AnswerRecord, InvoiceAnswer } from '../../functions/shared/domain/answers/kinds.ts';
import type { AnswerLink } from '../../functions/shared/domain/answers/link-token.ts';
import { startTestStore, type TestStore } from '../support/emulators.ts';
import { customer, invoice, payInFull, seed } from './run-support.ts';

/**
 * The answer store's conditional writes (docs/answers.md, "Store"), each on its own item: the link's
 * counter, the answer record, its supersede mark, the confirmation's claim and each invoice's answer.
 * Runs on dynalite in `npm test` and on DynamoDB Local in `npm run test:conformance`.
 */
const NOW = new Date('2026-03-04T10:00:00Z');
const link = (linkId: string): AnswerLink => ({
  customerId: 'ada',
  invoiceIds: ['A-1', 'A-2'],
  expiresAt: Math.floor(NOW.getTime() / 1000) + 60 * 86_400,
  linkId,
});
const record = (answerId: string, at: string, extra: Partial<AnswerRecord> = {}): AnswerRecord => ({
  answerId,
  customerId: 'ada',
  kind: 'promise',
  at,
  invoiceIds: ['A-1'],
  linkId: 'link-1',
  promisedFor: '2026-03-10',
  heldThrough: '2026-03-13',
  ...extra,
});
const held = (answer: AnswerRecord): InvoiceAnswer => ({
  answerId: answer.answerId,
  kind: answer.kind,
  at: answer.at,
  status: 'held',
  ...(answer.heldThrough ? { heldThrough: answer.heldThrough } : {}),
  ...(answer.promisedFor ? { promisedFor: answer.promisedFor } : {}),
});

let store: TestStore;
let ledger: DynamoAnswerLedger;
const item = async (key: { pk: string; sk: string }) =>
  (
    await store.documentClient.send(
      new GetCommand({ TableName: store.tableName, Key: key, ConsistentRead: true }),
    )
  ).Item;

beforeAll(async () => {
  store = await startTestStore();
  ledger = new DynamoAnswerLedger(store.documentClient, store.tableName, () => NOW);
  await seed(store, [customer('ada')], [invoice('A-1', 'ada'), invoice('A-2', 'ada'), invoice('A-3', 'ada')]);
}, 120_000);
afterAll(() => store?.stop());

describe('The answer store’s conditional writes', () => {
  it('counts a link’s answers up to the limit and refuses the next, link by link', async () => {
    const counted = [];
    for (let answer = 1; answer <= 4; answer += 1) counted.push(await ledger.countAnswer(link('link-1'), 3));
    const otherLink = await ledger.countAnswer(link('link-2'), 3);

    expect(counted).toEqual([true, true, true, false]);
    expect(otherLink).toBe(true);
    const counter = await item(answerLinkKey('ada', 'link-1'));
    expect(counter?.answers).toBe(3);
    // It expires with the link (plus a day), by DynamoDB's TTL on expiresAt.
    expect(counter?.expiresAt).toBe(link('link-1').expiresAt + 86_400);
  });

  it('gives a count back for an answer the store did not take, never below zero', async () => {
    await ledger.countAnswer(link('link-3'), 3);
    await ledger.countAnswer(link('link-3'), 3);
    await ledger.uncountAnswer(link('link-3'));
    const once = (await item(answerLinkKey('ada', 'link-3')))?.answers;
    await ledger.uncountAnswer(link('link-3'));
    await ledger.uncountAnswer(link('link-3'));
    await ledger.uncountAnswer(link('link-never-counted'));

    expect(once).toBe(1);
    expect((await item(answerLinkKey('ada', 'link-3')))?.answers).toBe(0);
    expect(await item(answerLinkKey('ada', 'link-never-counted'))).toBeUndefined();
  });

  it('records an answer once: the same record again is refused, the first stays as written', async () => {
    const first = record('r-1', '2026-03-04T10:00:00.000Z');

    await ledger.recordAnswer(first);
    const again = await ledger.recordAnswer({ ...first, promisedFor: '2026-03-11' }).catch((error) => error);

    expect(isConditionFailed(again)).toBe(true);
    expect(await ledger.answersOf('ada', 10)).toEqual([first]);
  });

  it('marks an earlier answer superseded once, by the first answer that replaced it', async () => {
    const earlier = record('r-1', '2026-03-04T10:00:00.000Z');
    const later = record('r-2', '2026-03-04T11:00:00.000Z');
    await ledger.recordAnswer(later);

    await ledger.markSuperseded('ada', earlier, later.answerId);
    await ledger.markSuperseded('ada', earlier, 'r-3');
    await ledger.markSuperseded('ada', { answerId: 'never', at: '2026-03-01T00:00:00.000Z' }, 'r-2');

    expect((await item(answerKey('ada', earlier.at, earlier.answerId)))?.supersededBy).toBe('r-2');
    // A record that does not exist is not created by the mark.
    expect(await item(answerKey('ada', '2026-03-01T00:00:00.000Z', 'never'))).toBeUndefined();
    expect((await ledger.answersOf('ada', 10)).map((answer) => answer.answerId)).toEqual(['r-2', 'r-1']);
  });

  it('claims the confirmation email once, records its outcome, and never claims it again', async () => {
    const answer = record('r-2', '2026-03-04T11:00:00.000Z');

    const claims = [
      await ledger.claimMail(answer, 'confirmation'),
      await ledger.claimMail(answer, 'confirmation'),
    ];
    await ledger.recordMail(answer, 'confirmation', { status: 'sent', messageId: 'm-1' });
    const afterSent = await ledger.claimMail(answer, 'confirmation');
    // An outcome for an email never claimed is not written: the notice was not sent.
    await ledger.recordMail(answer, 'notice', { status: 'sent', messageId: 'm-2' });
    const missing = await ledger.claimMail(record('r-9', '2026-03-04T12:00:00.000Z'), 'confirmation');

    expect(claims).toEqual([true, false]);
    expect(afterSent).toBe(false);
    const written = await item(answerKey('ada', answer.at, answer.answerId));
    expect(written?.confirmation).toEqual({ status: 'sent', messageId: 'm-1', at: NOW.toISOString() });
    expect(written?.notice).toBeUndefined();
    expect(missing).toBe(false);
  });

  it('puts an answer on an invoice only over the version read and while it is open', async () => {
    const [first] = await ledger.readInvoices(['A-1']);
    const answer = held(record('r-2', '2026-03-04T11:00:00.000Z'));
    if (!first) throw new Error('A-1 was not seeded');

    const placed = await ledger.holdInvoice(first, answer, NOW);
    const overStale = await ledger.holdInvoice(first, { ...answer, answerId: 'r-stale' }, NOW);
    const [after] = await ledger.readInvoices(['A-1']);
    const [paid] = await ledger.readInvoices(['A-3']);
    if (!paid) throw new Error('A-3 was not seeded');
    await payInFull(store, paid);
    // Read after the payment: the version matches, the status does not.
    const [paidNow] = await ledger.readInvoices(['A-3']);
    if (!paidNow) throw new Error('A-3 vanished');
    const onPaid = await ledger.holdInvoice(paidNow, answer, NOW);

    expect(placed).toBe(true);
    expect(overStale).toBe(false);
    expect(after?.answer).toEqual(answer);
    expect(after?.version).toBe(first.version + 1);
    // In the due index now, so the next run records the hold under its reason.
    expect(after?.nextActionAt).toBe(NOW.toISOString());
    expect(paidNow.status).toBe('paid');
    expect(onPaid).toBe(false);
    expect((await ledger.readInvoices(['A-3']))[0]?.answer).toBeUndefined();
  });

  it('settles a lapsed answer once, only while the invoice still holds that answer', async () => {
    const [heldNow] = await ledger.readInvoices(['A-1']);
    if (!heldNow) throw new Error('A-1 was not seeded');

    const settled = await ledger.settle(heldNow, 'broken', '2026-03-14T08:00:00.000Z');
    const again = await ledger.settle(heldNow, 'broken', '2026-03-14T08:00:00.000Z');

    expect(settled?.answer).toMatchObject({
      answerId: 'r-2',
      status: 'broken',
      settledAt: '2026-03-14T08:00:00.000Z',
    });
    expect(again).toBeUndefined();
  });
});
