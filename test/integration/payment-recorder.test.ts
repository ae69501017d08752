import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paymentKey } from '../../functions/shared/adapters/dynamodb/keys.ts';
import { LedgerReader } from '../../functions/shared/adapters/dynamodb/ledger-reader.ts';
import {
  createPaymentRecorder,
  type PaymentRecorder,
} from '../../functions/shared/adapters/dynamodb/payment-recorder.ts';
import type { PaymentEvent } from '../../functions/shared/domain/payments/event.ts';
import { loadPolicy } from '../../functions/shared/policy.ts';
import { startTestStore, type TestStore } from '../support/emulators.ts';
import { anInvoice, nextId, seedInvoice } from '../support/payment-fixtures.ts';

let store: TestStore;
let recorder: PaymentRecorder;
let reader: LedgerReader;

beforeAll(async () => {
  store = await startTestStore();
  recorder = createPaymentRecorder({
    documentClient: store.documentClient,
    tableName: store.tableName,
    policy: loadPolicy(),
    defaultTimeZone: 'UTC',
  });
  reader = new LedgerReader(store.documentClient, store.tableName);
});

afterAll(async () => {
  await store?.stop();
});

const payment = (invoiceId: string, overrides: Partial<PaymentEvent> = {}): PaymentEvent => ({
  eventId: nextId('evt'),
  provider: 'standard',
  type: 'payment.succeeded',
  invoiceId,
  kind: 'payment',
  amount: 1_000,
  currency: 'USD',
  occurredAt: '2030-02-01T12:00:00.000Z',
  ...overrides,
});

const freshInvoice = async () => {
  const invoice = anInvoice({ invoiceId: nextId('INV'), amountDue: 10_000 });
  await seedInvoice(store, invoice);
  return invoice;
};

const rawRecord = async (invoiceId: string, paymentId: string) =>
  (
    await store.documentClient.send(
      new GetCommand({ TableName: store.tableName, Key: paymentKey(invoiceId, paymentId) }),
    )
  ).Item;

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
    });
    const afterCrash = await reader.getInvoice(invoice.invoiceId);
    const shownAfterCrash = await recorder.ledger.listPayments(afterCrash ?? invoice);

    const outcome = await recorder.record(event);

    expect(afterCrash?.amountReceived).toBe(0);
    expect(shownAfterCrash).toEqual([expect.objectContaining({ paymentId: event.eventId, applied: false })]);
    expect(outcome).toBe('applied');
    expect((await reader.getInvoice(invoice.invoiceId))?.amountReceived).toBe(1_000);
    expect(await rawRecord(invoice.invoiceId, event.eventId)).toMatchObject({ applied: true });
  });

  it('completes the record on a retry after a crash between the invoice update and marking it applied', async () => {
    const invoice = await freshInvoice();
    const event = payment(invoice.invoiceId);
    await recorder.record(event);
    await store.documentClient.send(
      new UpdateCommand({
        TableName: store.tableName,
        Key: paymentKey(invoice.invoiceId, event.eventId),
        UpdateExpression: 'SET applied = :false',
        ExpressionAttributeValues: { ':false': false },
      }),
    );

    const outcome = await recorder.record(event);

    expect(outcome).toBe('duplicate');
    expect((await reader.getInvoice(invoice.invoiceId))?.amountReceived).toBe(1_000);
    expect(await rawRecord(invoice.invoiceId, event.eventId)).toMatchObject({ applied: true });
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
    expect(stored?.appliedEventIds).toHaveLength(4);
  });
});
