import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerToItem, invoiceToItem } from '../../functions/shared/adapters/dynamodb/ledger-items.ts';
import { DynamoReportReads } from '../../functions/shared/adapters/dynamodb/report-reads.ts';
import type { Customer, Invoice } from '../../functions/shared/domain/model.ts';
import type { PaymentEvent } from '../../functions/shared/domain/payments/event.ts';
import { collectReport } from '../../functions/shared/domain/report/collect.ts';
import { reportMoment } from '../../functions/shared/domain/report/period.ts';
import { startTestStore, type TestStore } from '../support/emulators.ts';
import { testRecorder } from '../support/payment-hosts.ts';
import { customer, invoice } from './run-support.ts';

const moment = reportMoment('2026-03-31', 'UTC', new Date());
const reminded = (sentAt: string) => ({
  first: { stage: 'first', status: 'sent' as const, claimedAt: sentAt, runId: 'r1', sentAt, messageId: 'm1' },
});

const event = (overrides: Partial<PaymentEvent>): PaymentEvent => ({
  eventId: 'evt',
  provider: 'standard',
  type: 'payment.succeeded',
  invoiceId: 'R-1',
  kind: 'payment',
  amount: 1_00,
  currency: 'EUR',
  occurredAt: '2026-03-20T10:00:00.000Z',
  refs: [],
  ...overrides,
});

describe('The report read from dynalite', () => {
  let store: TestStore;
  const put = (item: Record<string, unknown>) =>
    store.documentClient.send(new PutCommand({ TableName: store.tableName, Item: item }));
  const seed = async (customers: readonly Customer[], invoices: readonly Invoice[]) => {
    await Promise.all(customers.map((who) => put(customerToItem(who))));
    await Promise.all(invoices.map((bill) => put(invoiceToItem(bill))));
  };

  beforeAll(async () => {
    store = await startTestStore();
  });
  afterAll(() => store.stop());

  it('reads every invoice once across scan segments and pages, and nothing that is not an invoice', async () => {
    // Prepare: 45 invoices beside customers, payments and claims that the index does not list.
    const customers = Array.from({ length: 9 }, (_, index) => customer(`p${index}`));
    await seed(
      customers,
      Array.from({ length: 45 }, (_, index) =>
        invoice(`P-${index}`, `p${index % 9}`, { dueDate: '2026-03-31' }),
      ),
    );
    await put({ pk: 'CLAIM#run', sk: 'x', customerSk: 'not an invoice' });
    const reads = new DynamoReportReads(store.documentClient, store.tableName, 'UTC', {
      segments: 3,
      pageSize: 4,
    });
    const seen: string[] = [];

    // Act
    await reads.forEachInvoicePage(async (page) => {
      expect(page.length).toBeLessThanOrEqual(4);
      seen.push(...page.map((bill) => bill.invoiceId));
    });

    // Assess
    expect(seen.sort()).toEqual(Array.from({ length: 45 }, (_, index) => `P-${index}`).sort());
  });

  it('counts recovered money from payments recorded through the webhook path, lists flagged and unmatched ones', async () => {
    // Prepare: R-1 reminded on 10 March, then paid in part; R-2 paid in dollars; one payment for no invoice.
    const berlin = customer('r', { timeZone: 'Europe/Berlin', name: 'Rhein & Söhne <GmbH>' });
    await seed(
      [berlin],
      [
        invoice('R-1', 'r', { dueDate: '2026-03-01', claims: reminded('2026-03-10T09:00:00.000Z') }),
        invoice('R-2', 'r', { dueDate: '2026-03-01' }),
      ],
    );
    const recorder = testRecorder(store, { now: () => new Date('2026-03-25T10:00:00Z') });
    await recorder.record(
      event({ eventId: 'evt-early', amount: 5_00, occurredAt: '2026-03-09T10:00:00.000Z' }),
    );
    await recorder.record(event({ eventId: 'evt-paid', amount: 40_00 }));
    await recorder.record(event({ eventId: 'evt-usd', invoiceId: 'R-2', currency: 'USD', amount: 120_00 }));
    await recorder.record(event({ eventId: 'evt-lost', invoiceId: 'R-404', amount: 9_99 }));
    const reads = new DynamoReportReads(store.documentClient, store.tableName, 'UTC');

    // Act
    const report = await collectReport(reads, moment, 'UTC');

    // Assess
    const eur = report.currencies.find((line) => line.currency === 'EUR');
    expect(eur).toMatchObject({ remindersSent: 1, recovered: 40_00 });
    expect(report.flaggedPayments).toEqual([
      expect.objectContaining({
        invoiceId: 'R-2',
        paymentId: 'evt-usd',
        flag: 'currency_mismatch',
        currency: 'USD',
      }),
    ]);
    expect(report.unmatchedPayments).toEqual([
      expect.objectContaining({ invoiceId: 'R-404', eventId: 'evt-lost', amount: 9_99, currency: 'EUR' }),
    ]);
  });
});
