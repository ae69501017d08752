import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meterStore } from '../../bench/metering.ts';
import { createDocumentClient, createDynamoClient } from '../../functions/shared/adapters/dynamodb/client.ts';
import { invoiceKey } from '../../functions/shared/adapters/dynamodb/keys.ts';
import { invoiceToItem } from '../../functions/shared/adapters/dynamodb/ledger-items.ts';
import { LedgerReader } from '../../functions/shared/adapters/dynamodb/ledger-reader.ts';
import { createRunLedger } from '../../functions/shared/adapters/dynamodb/run-ledger.ts';
import { createPaymentRecorder, type PaymentRecorder } from '../../functions/shared/composition/payments.ts';
import type { PaymentEvent } from '../../functions/shared/domain/payments/event.ts';
import { loadPolicy } from '../../functions/shared/policy.ts';
import { startTestStore, type TestStore } from '../support/emulators.ts';
import { racing } from '../support/faults.ts';
import { anInvoice, nextId, seedInvoice } from '../support/payment-fixtures.ts';
import { testRecorder } from '../support/payment-hosts.ts';

let store: TestStore;
let recorder: PaymentRecorder;
let reader: LedgerReader;

beforeAll(async () => {
  store = await startTestStore();
  recorder = testRecorder(store);
  reader = new LedgerReader(store.documentClient, store.tableName);
});

afterAll(async () => {
  await store?.stop();
});

const payment = (invoiceId: string | undefined, overrides: Partial<PaymentEvent> = {}): PaymentEvent => ({
  eventId: `standard:${nextId('msg')}`,
  provider: 'standard',
  type: 'payment.succeeded',
  ...(invoiceId ? { invoiceId } : {}),
  kind: 'payment',
  amount: 1_000,
  currency: 'USD',
  occurredAt: '2030-02-01T12:00:00.000Z',
  refs: [`standard:${nextId('pay')}`],
  ...overrides,
});

const freshInvoice = async () => {
  const invoice = anInvoice({ invoiceId: nextId('INV'), amountDue: 10_000 });
  await seedInvoice(store, invoice);
  return invoice;
};

const shown = async (invoiceId: string) => {
  const invoice = await reader.getInvoice(invoiceId);
  if (!invoice) throw new Error(`no invoice ${invoiceId}`);
  return { invoice, payments: await recorder.ledger.listPayments(invoice) };
};

describe('Recording a payment across a crash', () => {
  it('shows a record written before a crash as not applied, and the retry completes it', async () => {
    const invoice = await freshInvoice();
    const event = payment(invoice.invoiceId);
    // The first write of a delivery whose process died before updating the invoice.
    await recorder.ledger.putPaymentRecord({
      paymentId: event.eventId,
      provider: 'standard',
      invoiceId: invoice.invoiceId,
      amount: event.amount,
      currency: 'USD',
      occurredAt: event.occurredAt,
      kind: 'payment',
      applied: false,
      eventType: event.type,
      refs: event.refs,
    });
    const afterCrash = await shown(invoice.invoiceId);

    const outcome = await recorder.record(event);
    const afterRetry = await shown(invoice.invoiceId);

    expect(afterCrash.invoice.amountReceived).toBe(0);
    expect(afterCrash.payments).toEqual([
      expect.objectContaining({ paymentId: event.eventId, applied: false, reason: 'not_applied' }),
    ]);
    expect(outcome).toBe('applied');
    expect(afterRetry.invoice.amountReceived).toBe(1_000);
    expect(afterRetry.payments).toEqual([
      expect.objectContaining({ paymentId: event.eventId, applied: true }),
    ]);
  });

  it('answers a redelivery after a completed write duplicate and changes nothing', async () => {
    const invoice = await freshInvoice();
    const event = payment(invoice.invoiceId);
    await recorder.record(event);

    const outcome = await recorder.record(event);

    expect(outcome).toBe('duplicate');
    expect((await shown(invoice.invoiceId)).invoice).toMatchObject({ amountReceived: 1_000, version: 2 });
  });
});

describe('Recording payments concurrently', () => {
  it('applies the same event once when it is delivered five times at once', async () => {
    const invoice = await freshInvoice();
    const event = payment(invoice.invoiceId, { amount: 2_500 });

    const outcomes = await Promise.all(Array.from({ length: 5 }, () => recorder.record(event)));

    expect(outcomes.filter((outcome) => outcome === 'applied')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === 'duplicate')).toHaveLength(4);
    expect((await reader.getInvoice(invoice.invoiceId))?.amountReceived).toBe(2_500);
  });

  it('applies every one of several different events racing on one invoice', async () => {
    const invoice = await freshInvoice();
    const events = [1_000, 2_000, 3_000, 4_000].map((amount) => payment(invoice.invoiceId, { amount }));

    const outcomes = await Promise.all(events.map((event) => recorder.record(event)));

    expect(outcomes).toEqual(['applied', 'applied', 'applied', 'applied']);
    const stored = await reader.getInvoice(invoice.invoiceId);
    expect(stored).toMatchObject({ amountReceived: 10_000, status: 'paid', version: invoice.version + 4 });
    expect(Object.keys(stored?.settlements ?? {})).toHaveLength(4);
  });

  it('applies a refund racing its own payment exactly once, whichever lands first', async () => {
    for (let round = 0; round < 4; round += 1) {
      const invoice = await freshInvoice();
      const pi = `stripe:${nextId('pi')}`;
      const paid = payment(invoice.invoiceId, {
        provider: 'stripe',
        eventId: `stripe:${nextId('evt')}`,
        refs: [pi],
        amount: 6_000,
      });
      // Its Charge's refund carries no invoice reference: it is found through the PaymentIntent.
      const refund = payment(undefined, {
        provider: 'stripe',
        eventId: `stripe:${nextId('evt')}`,
        type: 'charge.refunded',
        kind: 'refund',
        amount: 1_000,
        refs: [pi, `stripe:${nextId('ch')}`],
        refunded: { from: 0, to: 1_000 },
      });

      const outcomes = await Promise.all(
        round % 2
          ? [recorder.record(refund), recorder.record(paid)]
          : [recorder.record(paid), recorder.record(refund)],
      );

      expect(outcomes).toContain('applied');
      expect((await reader.getInvoice(invoice.invoiceId))?.amountReceived).toBe(5_000);
    }
  });
});

describe('Refunds found through the payment they refund', () => {
  it('keeps a refund no invoice knows as unmatched (never ignored) and applies it when its payment arrives', async () => {
    const invoice = await freshInvoice();
    const pi = `stripe:${nextId('pi')}`;
    const refund = payment(undefined, {
      provider: 'stripe',
      type: 'charge.refunded',
      kind: 'refund',
      amount: 4_000,
      refs: [pi, `stripe:${nextId('ch')}`],
      refunded: { from: 0, to: 4_000 },
    });

    const early = await recorder.record(refund);
    const listed = await recorder.unmatched.listAll();
    const paid = await recorder.record(
      payment(invoice.invoiceId, {
        provider: 'stripe',
        refs: [pi, `stripe:${nextId('cs')}`],
        amount: 10_000,
      }),
    );
    const after = await shown(invoice.invoiceId);

    expect(early).toBe('unmatched');
    expect(listed).toContainEqual(expect.objectContaining({ eventId: refund.eventId, kind: 'refund' }));
    expect(paid).toBe('applied');
    expect(after.invoice).toMatchObject({ amountReceived: 6_000, status: 'open' });
    expect(after.payments.map((line) => [line.kind, line.applied]).sort()).toEqual([
      ['payment', true],
      ['refund', true],
    ]);
    expect(await recorder.unmatched.listAll()).not.toContainEqual(
      expect.objectContaining({ eventId: refund.eventId }),
    );
  });

  it('ignores a payment that names no invoice and whose money no invoice knows', async () => {
    expect(
      await recorder.record(payment(undefined, { provider: 'stripe', refs: [`stripe:${nextId('pi')}`] })),
    ).toBe('ignored');
  });
});

describe('An invoice that receives thousands of events', () => {
  it('keeps its item small: repeated and related events of few payments add nothing to it', async () => {
    const invoice = await freshInvoice();
    const refs = Array.from({ length: 5 }, () => `stripe:${nextId('pi')}`);
    const events = Array.from({ length: 1_000 }, (_, n) =>
      payment(invoice.invoiceId, {
        provider: 'stripe',
        eventId: `stripe:evt_many_${invoice.invoiceId}_${n}`,
        refs: [refs[n % refs.length] as string],
        amount: 500,
      }),
    );

    for (const event of events) await recorder.record(event);
    const { Item } = await store.documentClient.send(
      new GetCommand({
        TableName: store.tableName,
        Key: invoiceKey(invoice.invoiceId),
        ConsistentRead: true,
      }),
    );

    expect(Item?.amountReceived).toBe(2_500);
    expect(Object.keys(Item?.settlements ?? {})).toHaveLength(5);
    expect((Item?.appliedEventIds as string[]).length).toBeLessThanOrEqual(100);
    expect(Buffer.byteLength(JSON.stringify(Item))).toBeLessThan(20_000);
  }, 120_000);
});

describe('Round trips on the request path', () => {
  const metered = () => {
    const client = createDynamoClient(store.endpoint);
    const metering = meterStore(client);
    const documentClient = createDocumentClient(client);
    const meteredRecorder = createPaymentRecorder({
      documentClient,
      tableName: store.tableName,
      policy: loadPolicy(),
      defaultTimeZone: 'UTC',
    });
    return { metering, recorder: meteredRecorder, close: () => documentClient.destroy() };
  };

  it('applies a first payment in three sequential round trips and answers its repeat from the read', async () => {
    const invoice = await freshInvoice();
    const { metering, recorder: meteredRecorder, close } = metered();
    const event = payment(invoice.invoiceId, {
      eventId: `stripe:${nextId('evt')}`,
      provider: 'stripe',
      // A PaymentIntent and its Charge: the intent is the id a later refund finds the invoice by.
      refs: [`stripe:pi_${nextId('a')}`, `stripe:ch_${nextId('b')}`],
    });

    metering.reset();
    const first = await meteredRecorder.record(event);
    const firstMeter = metering.snapshot();
    metering.reset();
    const repeat = await meteredRecorder.record(event);
    const repeatMeter = metering.snapshot();
    close();

    expect(first).toBe('applied');
    // Read the invoice; write the record while binding its money id; the one conditional update.
    expect({ requests: firstMeter.requests, roundTrips: firstMeter.roundTrips }).toEqual({
      requests: 4,
      roundTrips: 3,
    });
    expect(repeat).toBe('duplicate');
    // The invoice read lists the event: its record is there already, nothing is written.
    expect({ requests: repeatMeter.requests, roundTrips: repeatMeter.roundTrips }).toEqual({
      requests: 1,
      roundTrips: 1,
    });
    expect((await shown(invoice.invoiceId)).payments).toEqual([
      expect.objectContaining({ paymentId: event.eventId, applied: true }),
    ]);
  });

  it('reads the customer zone with the bind when a refund puts a paid invoice back on its schedule', async () => {
    const invoice = await freshInvoice();
    const paidWith = `stripe:pi_${nextId('pay')}`;
    await recorder.record(payment(invoice.invoiceId, { amount: 10_000, refs: [paidWith] }));
    const { metering, recorder: meteredRecorder, close } = metered();

    metering.reset();
    const outcome = await meteredRecorder.record(
      payment(invoice.invoiceId, {
        kind: 'refund',
        type: 'refund.succeeded',
        amount: 2_500,
        refs: [paidWith],
      }),
    );
    const meter = metering.snapshot();
    close();

    expect(outcome).toBe('applied');
    expect((await shown(invoice.invoiceId)).invoice).toMatchObject({ status: 'open', amountReceived: 7_500 });
    // Read the invoice; the record and the customer's zone together; the update.
    expect({ requests: meter.requests, roundTrips: meter.roundTrips }).toEqual({
      requests: 4,
      roundTrips: 3,
    });
  });
});

describe('The invoice update and its payment record', () => {
  it('puts an invoice a refund reopens back in the due index, on its schedule in the customer’s zone', async () => {
    const invoice = await freshInvoice();
    const paidWith = `standard:${nextId('pay')}`;
    await recorder.record(payment(invoice.invoiceId, { amount: 10_000, refs: [paidWith] }));
    const dueBy = new Date('2030-02-01T00:00:00.000Z');
    const due = async () =>
      (await createRunLedger(store.documentClient, store.tableName).dueInvoices(dueBy)).some(
        (found) => found.invoiceId === invoice.invoiceId,
      );
    const whilePaid = await due();

    await recorder.record(
      payment(invoice.invoiceId, {
        kind: 'refund',
        type: 'payment.refunded',
        amount: 2_500,
        refs: [paidWith],
      }),
    );

    expect(whilePaid).toBe(false);
    // The courtesy stage, 3 days before the due date, from midnight in New York.
    expect((await shown(invoice.invoiceId)).invoice).toMatchObject({
      status: 'open',
      nextActionAt: '2030-01-28T05:00:00.000Z',
    });
    expect(await due()).toBe(true);
  });

  it('applies a payment to an invoice item written before versions existed', async () => {
    const invoice = anInvoice({ invoiceId: nextId('INV'), amountDue: 10_000 });
    await seedInvoice(store, invoice);
    const { version: _version, ...unversioned } = invoiceToItem(invoice);
    await store.documentClient.send(new PutCommand({ TableName: store.tableName, Item: unversioned }));

    expect(await recorder.record(payment(invoice.invoiceId))).toBe('applied');
    expect((await shown(invoice.invoiceId)).invoice).toMatchObject({ amountReceived: 1_000, version: 1 });
  });

  it('applies nothing when the payment record cannot be written: the delivery fails and is retried', async () => {
    const invoice = await freshInvoice();
    const event = payment(invoice.invoiceId);
    const failing = racing(store.documentClient, async (command) => {
      if (command instanceof PutCommand && command.input.Item?.type === 'payment')
        throw Object.assign(new Error('We encountered an internal error'), {
          name: 'InternalServerError',
          $metadata: { httpStatusCode: 500 },
        });
    });
    const faulty = testRecorder({ ...store, documentClient: failing });

    await expect(faulty.record(event)).rejects.toThrow('internal error');

    expect((await shown(invoice.invoiceId)).invoice).toMatchObject({ amountReceived: 0, version: 1 });
    expect(await recorder.record(event)).toBe('applied');
  });
});
