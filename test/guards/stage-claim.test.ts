import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invoiceKey, reminderKey } from '../../functions/shared/adapters/dynamodb/keys.ts';
import { invoiceToItem, itemToInvoice } from '../../functions/shared/adapters/dynamodb/ledger-items.ts';
import { readInvoiceAudit } from '../../functions/shared/adapters/dynamodb/run-audit.ts';
import { RunClaims } from '../../functions/shared/adapters/dynamodb/run-claims.ts';
import type { Invoice, StageClaim } from '../../functions/shared/domain/model.ts';
import { showDocument } from '../../functions/shared/domain/run/audit.ts';
import { startTestStore, type TestStore } from '../support/emulators.ts';
import { openInvoice } from '../support/ledger-fixtures.ts';

/**
 * Guard: at most one reminder per invoice and stage. The stage claim is one conditional UpdateItem:
 * no claim for the stage yet, the invoice open, and unchanged since the run read it. Each case below
 * fails if one part of that condition is dropped.
 */

const claim = (stage: string, runId: string, fee = 0): StageClaim => ({
  stage,
  status: 'claimed',
  claimedAt: '2026-03-10T10:00:00.000Z',
  runId,
  fee,
});

describe('Guard: the stage claim', () => {
  let store: TestStore;
  let claims: RunClaims;
  let next = 0;
  beforeAll(async () => {
    store = await startTestStore();
    claims = new RunClaims(store.documentClient, store.tableName);
  });
  afterAll(() => store.stop());

  const stored = async (overrides: Partial<Invoice> = {}): Promise<Invoice> => {
    next += 1;
    const invoice = openInvoice({
      invoiceId: `SC-${next}`,
      customerId: 'C-1',
      currency: 'EUR',
      amountDue: 100_00,
      dueDate: '2026-03-01',
      ...overrides,
    });
    const item = invoiceToItem(invoice);
    await store.documentClient.send(new PutCommand({ TableName: store.tableName, Item: item }));
    return invoice;
  };

  /** An invoice item as the first versions wrote it: no version, no fees charged, no ledger. */
  const storedBare = async (): Promise<Invoice> => {
    const invoice = await stored();
    const { version: _version, feesCharged: _fees, charges: _charges, ...bare } = invoiceToItem(invoice);
    await store.documentClient.send(new PutCommand({ TableName: store.tableName, Item: bare }));
    return itemToInvoice(bare);
  };

  const raw = async (invoiceId: string) =>
    (
      await store.documentClient.send(
        new GetCommand({ TableName: store.tableName, Key: invoiceKey(invoiceId), ConsistentRead: true }),
      )
    ).Item;

  it('claims a stage of an open invoice once and charges its fee in the same write', async () => {
    const invoice = await stored();

    const claimed = await claims.claimStage(invoice, claim('first', 'run-1', 5_00));

    expect(claimed?.claims.first).toMatchObject({ status: 'claimed', runId: 'run-1' });
    expect(claimed?.feesCharged).toBe(5_00);
    expect(claimed?.version).toBe(invoice.version + 1);
  });

  it('returns the claimed invoice exactly as the store now holds it, without asking for it back', async () => {
    const late = {
      ...claim('second', 'run-1', 12_00),
      latePayment: { interest: 3_41, compensation: 40_00, law: 'DE', asOf: '2026-03-10' },
    };
    const cases = [
      { invoice: await stored(), claim: claim('first', 'run-1', 5_00) },
      { invoice: await stored({ feesCharged: 5_00 }), claim: late },
      // An item written before versions and fees existed: both start from nothing.
      { invoice: await storedBare(), claim: claim('first', 'run-1', 7_50) },
    ];
    for (const { invoice, claim: taken } of cases) {
      const claimed = await claims.claimStage(invoice, taken);

      const item = await raw(invoice.invoiceId);
      expect(claimed).toEqual(item && itemToInvoice(item));
      expect(claimed?.claims[taken.stage]).toEqual(taken);
    }
  });

  it('refuses a second claim of the same stage, even by a run that read the claimed version', async () => {
    const invoice = await stored();
    const first = await claims.claimStage(invoice, claim('first', 'run-1', 5_00));
    if (!first) throw new Error('the first claim must succeed');

    // Another run that read the invoice after the first claim: its version matches, the claim exists.
    const second = await claims.claimStage(first, claim('first', 'run-2', 5_00));

    expect(second).toBeUndefined();
    expect((await raw(invoice.invoiceId))?.claims.first.runId).toBe('run-1');
    expect((await raw(invoice.invoiceId))?.feesCharged).toBe(5_00);
  });

  it('refuses a claim on an invoice that is no longer open (paid, handed off)', async () => {
    for (const status of ['paid', 'handed_off'] as const) {
      const invoice = await stored({ status });

      expect(await claims.claimStage(invoice, claim('first', 'run-1'))).toBeUndefined();
      expect((await raw(invoice.invoiceId))?.claims).toEqual({});
    }
  });

  it('refuses a claim on an invoice written since the run read it (a payment bumps the version)', async () => {
    const read = await stored({ version: 3 });
    await store.documentClient.send(
      new PutCommand({ TableName: store.tableName, Item: invoiceToItem({ ...read, version: 4 }) }),
    );

    expect(await claims.claimStage(read, claim('first', 'run-1'))).toBeUndefined();
    expect((await raw(read.invoiceId))?.claims).toEqual({});
  });

  it('refuses a claim made with version 0 on an item that has a version', async () => {
    const invoice = await stored({ version: 2 });

    expect(await claims.claimStage({ ...invoice, version: 0 }, claim('first', 'run-1'))).toBeUndefined();
  });

  it('claims another stage of the same invoice: the claim is per stage', async () => {
    const invoice = await stored();
    const first = await claims.claimStage(invoice, claim('courtesy', 'run-1'));
    if (!first) throw new Error('the first claim must succeed');

    expect((await claims.claimStage(first, claim('first', 'run-2')))?.claims.first?.runId).toBe('run-2');
  });

  it('releases or settles only a claim still held by the run that made it', async () => {
    const invoice = await stored();
    const held = await claims.claimStage(invoice, claim('first', 'run-1', 5_00));
    if (!held) throw new Error('the claim must succeed');

    await claims.releaseClaim(held, { ...claim('first', 'run-2', 5_00) });
    expect((await raw(invoice.invoiceId))?.claims.first?.runId).toBe('run-1');

    // Nor does a run that holds another claim of that stage (one released since) settle this one.
    await claims.recordFailed(held, claim('first', 'run-2', 5_00), undefined);
    await claims.markUnknown(held, claim('first', 'run-2', 5_00), undefined);
    expect((await raw(invoice.invoiceId))?.claims.first).toMatchObject({ status: 'claimed', runId: 'run-1' });
    expect((await raw(invoice.invoiceId))?.feesCharged).toBe(5_00);
    expect((await raw(invoice.invoiceId))?.needsAttention).toBeUndefined();

    await claims.markUnknown(held, claim('first', 'run-1', 5_00), undefined);
    await claims.releaseClaim(held, claim('first', 'run-1', 5_00));
    expect((await raw(invoice.invoiceId))?.claims.first?.status).toBe('unknown');
    expect((await raw(invoice.invoiceId))?.feesCharged).toBe(5_00);
  });

  describe('settling a claim', () => {
    const claimed = async (fee = 5_00) => {
      const invoice = await stored();
      const held = await claims.claimStage(invoice, claim('third', 'run-1', fee));
      if (!held) throw new Error('the claim must succeed');
      return held;
    };
    const next = new Date('2026-03-20T08:00:00.000Z');
    /** The fee entries of the invoice's charges ledger, as `dunning show` lists them. */
    const feeEntries = async (invoiceId: string) =>
      Object.values((await raw(invoiceId))?.charges ?? {})
        .filter((charge) => (charge as { kind: string }).kind === 'fee')
        .map((charge) => [(charge as { stage: string }).stage, (charge as { amount: number }).amount]);

    it('records a sent reminder in one write: the claim sent with its message id, the next action', async () => {
      const held = await claimed();

      await claims.recordSent(held, {
        stage: 'third',
        runId: 'run-1',
        sentAt: '2026-03-10T10:00:05.000Z',
        messageId: 'm-1',
        fee: 5_00,
        customerId: 'C-1',
        nextActionAt: next,
      });

      const item = await raw(held.invoiceId);
      expect(item?.claims.third).toMatchObject({
        status: 'sent',
        messageId: 'm-1',
        sentAt: '2026-03-10T10:00:05.000Z',
        fee: 5_00,
        runId: 'run-1',
      });
      expect(item).toMatchObject({ stage: 'third', status: 'open', nextActionAt: next.toISOString() });
      expect(item?.dueAt).toEqual(expect.any(String));
      // The claim is the reminder's record: the invoice's partition holds nothing else, and the audit
      // trail lists the reminder from it.
      const partition = await store.documentClient.send(
        new QueryCommand({
          TableName: store.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': invoiceKey(held.invoiceId).pk },
          ConsistentRead: true,
        }),
      );
      expect(partition.Items?.map((found) => found.sk)).toEqual([invoiceKey(held.invoiceId).sk]);
      const audit = await readInvoiceAudit(store.documentClient, store.tableName, held.invoiceId);
      if (!audit) throw new Error('the invoice must be found');
      expect(showDocument(audit).reminders).toEqual([
        { stage: 'third', status: 'sent', sentAt: '2026-03-10T10:00:05.000Z', messageId: 'm-1', fee: 5_00 },
      ]);
    });

    it('still lists a reminder record written by an earlier version beside the claims', async () => {
      const held = await claimed();
      await store.documentClient.send(
        new PutCommand({
          TableName: store.tableName,
          Item: {
            ...reminderKey(held.invoiceId, 'first'),
            type: 'reminder',
            stage: 'first',
            status: 'sent',
            sentAt: '2026-02-01T10:00:00.000Z',
            messageId: 'm-old',
            fee: 0,
          },
        }),
      );

      const audit = await readInvoiceAudit(store.documentClient, store.tableName, held.invoiceId);
      if (!audit) throw new Error('the invoice must be found');
      expect(showDocument(audit).reminders).toEqual([
        { stage: 'third', status: 'claimed', sentAt: null, messageId: null, fee: 5_00 },
        { stage: 'first', status: 'sent', sentAt: '2026-02-01T10:00:00.000Z', messageId: 'm-old', fee: 0 },
      ]);
    });

    it('hands the invoice to a person with its call task, out of the due index', async () => {
      const held = await claimed();
      const callTask = {
        createdAt: '2026-03-10T10:00:05.000Z',
        stage: 'third',
        runId: 'run-1',
        status: 'open' as const,
        assignee: 'Collections desk',
      };

      await claims.recordSent(held, {
        stage: 'third',
        runId: 'run-1',
        sentAt: '2026-03-10T10:00:05.000Z',
        messageId: 'm-2',
        fee: 5_00,
        customerId: 'C-1',
        nextActionAt: undefined,
        callTask,
      });

      const item = await raw(held.invoiceId);
      expect(item).toMatchObject({ status: 'handed_off', callTask });
      expect(item?.nextActionAt).toBeUndefined();
      expect(item?.dueAt).toBeUndefined();
    });

    it('settles a refused send as failed and takes its fee back, without flagging the invoice', async () => {
      const held = await claimed(7_00);

      expect(await feeEntries(held.invoiceId)).toEqual([['third', 7_00]]);

      await claims.recordFailed(held, claim('third', 'run-1', 7_00), next);

      const item = await raw(held.invoiceId);
      expect(item?.claims.third.status).toBe('failed');
      expect(item?.feesCharged).toBe(0);
      expect(await feeEntries(held.invoiceId)).toEqual([]);
      expect(item?.needsAttention).toBeUndefined();
      expect(item?.nextActionAt).toBe(next.toISOString());
    });

    it('settles an ambiguous send as unknown, keeps its fee and flags the invoice for an operator', async () => {
      const held = await claimed(7_00);

      await claims.markUnknown(held, claim('third', 'run-1', 7_00), undefined);

      const item = await raw(held.invoiceId);
      expect(item?.claims.third.status).toBe('unknown');
      expect(item?.feesCharged).toBe(7_00);
      expect(item?.needsAttention).toContain('"third"');
      expect(item?.needsAttention).toContain('run-1');
      expect(item?.nextActionAt).toBeUndefined();
    });

    it('never settles a claim already recorded sent: the message id it holds stands', async () => {
      const held = await claimed(7_00);
      await claims.recordSent(held, {
        stage: 'third',
        runId: 'run-1',
        sentAt: '2026-03-10T10:00:05.000Z',
        messageId: 'm-3',
        fee: 7_00,
        customerId: 'C-1',
        nextActionAt: next,
      });

      // A run that judged the claim dead before the record landed, or a late error of the same send.
      await claims.markUnknown(held, claim('third', 'run-1', 7_00), undefined);
      await claims.recordFailed(held, claim('third', 'run-1', 7_00), undefined);
      await claims.releaseClaim(held, claim('third', 'run-1', 7_00));

      const item = await raw(held.invoiceId);
      expect(item?.claims.third).toMatchObject({ status: 'sent', messageId: 'm-3' });
      expect(item?.feesCharged).toBe(7_00);
      expect(item?.needsAttention).toBeUndefined();
      expect(item?.nextActionAt).toBe(next.toISOString());
    });

    it('gives the claim and its fee back when nothing was sent', async () => {
      const held = await claimed(7_00);

      expect(await feeEntries(held.invoiceId)).toEqual([['third', 7_00]]);

      await claims.releaseClaim(held, claim('third', 'run-1', 7_00));

      const item = await raw(held.invoiceId);
      expect(item?.claims).toEqual({});
      expect(item?.feesCharged).toBe(0);
      // The ledger's entry goes with the fee: it never lists a fee the invoice no longer charges.
      expect(await feeEntries(held.invoiceId)).toEqual([]);
    });
  });

  describe('moving an invoice in the due index', () => {
    const at = new Date('2026-03-12T08:00:00.000Z');

    it('moves an unchanged invoice to its next action, or out of the index', async () => {
      const invoice = await stored();

      await claims.reindex(invoice, at);
      expect((await raw(invoice.invoiceId))?.nextActionAt).toBe(at.toISOString());

      await claims.reindex(
        { ...invoice, version: invoice.version + 1, nextActionAt: at.toISOString() },
        undefined,
      );
      expect((await raw(invoice.invoiceId))?.nextActionAt).toBeUndefined();
      expect((await raw(invoice.invoiceId))?.dueShard).toBeUndefined();
    });

    it('leaves an invoice written since the read where the writer put it', async () => {
      const invoice = await stored({ version: 3 });
      await store.documentClient.send(
        new PutCommand({ TableName: store.tableName, Item: invoiceToItem({ ...invoice, version: 4 }) }),
      );

      await claims.reindex(invoice, at);

      expect((await raw(invoice.invoiceId))?.nextActionAt).toBeUndefined();
    });

    it('writes nothing when the invoice already sits at that next action', async () => {
      const invoice = await stored({ nextActionAt: at.toISOString() });

      await claims.reindex(invoice, at);

      expect((await raw(invoice.invoiceId))?.version).toBe(invoice.version);
    });
  });
});
