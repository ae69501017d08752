import { describe, expect, it } from 'vitest';
import type { Customer, Invoice, Payment, StageClaim } from '../../functions/shared/domain/model.ts';
import { collectReport } from '../../functions/shared/domain/report/collect.ts';
import { reportMoment } from '../../functions/shared/domain/report/period.ts';
import type {
  ReportInvoice,
  ReportReader,
  UnmatchedPayment,
} from '../../functions/shared/domain/report/ports.ts';
import { customer as aCustomer, invoice as anInvoice } from './reminder-fixtures.ts';

const moment = reportMoment('2026-03-31', 'UTC', new Date());

const customer = (customerId: string, overrides: Partial<Customer> = {}): Customer =>
  aCustomer({
    customerId,
    name: `Customer ${customerId}`,
    email: `${customerId}@example.com`,
    timeZone: 'UTC',
    ...overrides,
  });

const invoice = (invoiceId: string, overrides: Partial<ReportInvoice> = {}): ReportInvoice => ({
  ...anInvoice({
    invoiceId,
    invoiceNumber: `N-${invoiceId}`,
    customerId: 'c1',
    amountDue: 100_00,
    dueDate: '2026-03-31',
  }),
  ...overrides,
});

const sent = (stage: string, sentAt: string): StageClaim => ({
  stage,
  status: 'sent',
  claimedAt: sentAt,
  runId: 'run-1',
  sentAt,
  messageId: `m-${stage}`,
});

const payment = (
  paymentId: string,
  occurredAt: string,
  amount: number,
  overrides: Partial<Payment> = {},
): Payment => ({
  paymentId,
  provider: 'standard',
  invoiceId: 'i1',
  amount,
  currency: 'EUR',
  occurredAt,
  kind: 'payment',
  applied: true,
  ...overrides,
});

/** The store in memory, delivered in pages of two as the index scan would. */
const memoryReader = (
  invoices: readonly ReportInvoice[],
  customers: readonly Customer[],
  payments: Record<string, readonly Payment[]> = {},
  unmatched: readonly UnmatchedPayment[] = [],
): ReportReader & { paymentReads: string[] } => {
  const paymentReads: string[] = [];
  return {
    paymentReads,
    async forEachInvoicePage(onPage) {
      const pages = [];
      for (let start = 0; start < invoices.length; start += 2) pages.push(invoices.slice(start, start + 2));
      await Promise.all(pages.map(onPage));
    },
    async customers(ids) {
      return new Map(
        customers.filter((who) => ids.includes(who.customerId)).map((who) => [who.customerId, who]),
      );
    },
    async payments(wanted: readonly Pick<Invoice, 'invoiceId'>[]) {
      paymentReads.push(...wanted.map((one) => one.invoiceId));
      return new Map(wanted.map((one) => [one.invoiceId, payments[one.invoiceId] ?? []]));
    },
    async unmatchedPayments() {
      return unmatched;
    },
  };
};

describe('Aging report', () => {
  it('keeps each currency apart and puts every open invoice in its bucket, fees included', async () => {
    // Prepare
    const reader = memoryReader(
      [
        invoice('e-current', { dueDate: '2026-04-10' }),
        invoice('e-45', { dueDate: '2026-02-14', feesCharged: 15_00 }),
        invoice('e-part', { dueDate: '2025-12-01', amountPaid: 40_00, amountReceived: 10_00 }),
        invoice('e-paid', { dueDate: '2026-01-01', amountReceived: 100_00, status: 'paid' }),
        invoice('j-61', { currency: 'JPY', amountDue: 5_000, dueDate: '2026-01-29' }),
      ],
      [customer('c1')],
    );

    // Act
    const report = await collectReport(reader, moment, 'UTC');

    // Assess
    expect(report.currencies).toEqual([
      {
        currency: 'EUR',
        current: 100_00,
        d1_30: 0,
        d31_60: 115_00,
        d61_90: 0,
        d90plus: 50_00,
        outstanding: 265_00,
        remindersSent: 0,
        recovered: 0,
        openInvoices: 3,
        invoices: { current: 1, d1_30: 0, d31_60: 1, d61_90: 0, d90plus: 1 },
      },
      {
        currency: 'JPY',
        current: 0,
        d1_30: 0,
        d31_60: 0,
        d61_90: 5_000,
        d90plus: 0,
        outstanding: 5_000,
        remindersSent: 0,
        recovered: 0,
        openInvoices: 1,
        invoices: { current: 0, d1_30: 0, d31_60: 0, d61_90: 1, d90plus: 0 },
      },
    ]);
    expect(report).toMatchObject({
      asOf: '2026-03-31',
      asOfInstant: '2026-03-31T12:00:00.000Z',
      timeZone: 'UTC',
    });
  });

  it("places an invoice in its customer's zone, and in the deployment's when the customer is missing", async () => {
    // Prepare: due 1 March; at 12:00 UTC on 31 March it is already 1 April in Auckland.
    const reader = memoryReader(
      [
        invoice('nz', { customerId: 'auckland', dueDate: '2026-03-01' }),
        invoice('hi', { customerId: 'honolulu', dueDate: '2026-03-01' }),
        invoice('gone', { customerId: 'nobody', dueDate: '2026-03-01' }),
      ],
      [
        customer('auckland', { timeZone: 'Pacific/Auckland' }),
        customer('honolulu', { timeZone: 'Pacific/Honolulu' }),
      ],
    );

    // Act
    const [eur] = (await collectReport(reader, moment, 'UTC')).currencies;

    // Assess
    expect(eur).toMatchObject({ d1_30: 200_00, d31_60: 100_00 });
  });

  it('counts reminders sent in the period and money applied after the first reminder, less refunds', async () => {
    // Prepare
    const reminded = invoice('i1', {
      status: 'paid',
      amountReceived: 100_00,
      appliedEventIds: ['before', 'after', 'refund', 'again', 'old'],
      claims: {
        first: sent('first', '2026-03-10T09:00:00.000Z'),
        second: sent('second', '2026-02-20T09:00:00.000Z'),
      },
    });
    const reader = memoryReader([reminded, invoice('quiet')], [customer('c1')], {
      i1: [
        // Paid before any reminder went out: not a recovery.
        payment('old', '2026-02-19T10:00:00.000Z', 10_00),
        payment('after', '2026-03-12T10:00:00.000Z', 80_00),
        payment('refund', '2026-03-13T10:00:00.000Z', 20_00, { kind: 'refund' }),
        payment('again', '2026-03-14T10:00:00.000Z', 30_00),
        // After the report's instant.
        payment('late', '2026-04-01T10:00:00.000Z', 5_00),
        payment('unapplied', '2026-03-15T10:00:00.000Z', 7_00, { applied: false }),
      ],
    });

    // Act
    const report = await collectReport(reader, moment, 'UTC');

    // Assess: the second stage's reminder (20 February) lies before the 30-day period.
    expect(report.currencies[0]).toMatchObject({ currency: 'EUR', remindersSent: 1, recovered: 90_00 });
    expect(report.currencies[0]?.outstanding).toBe(100_00);
    expect(reader.paymentReads).toEqual(['i1']);
  });

  it('drops a flagged payment from the list once an operator resolved its hold, and counts it nowhere', async () => {
    const flagged = payment('usd', '2026-03-21T10:00:00.000Z', 100_00, {
      currency: 'USD',
      applied: false,
      flag: 'currency_mismatch',
    });
    const held = invoice('m1', { flags: ['currency_mismatch'], appliedEventIds: ['usd'] });
    const resolved = invoice('m1', { flags: [], appliedEventIds: ['usd'] });

    const before = await collectReport(
      memoryReader([held], [customer('c1')], { m1: [flagged] }, []),
      moment,
      'UTC',
    );
    const after = await collectReport(
      memoryReader([resolved], [customer('c1')], { m1: [flagged] }, []),
      moment,
      'UTC',
    );

    expect(before.flaggedPayments.map((line) => line.paymentId)).toEqual(['usd']);
    expect(after.flaggedPayments).toEqual([]);
    expect(after.currencies.find((line) => line.currency === 'EUR')?.recovered ?? 0).toBe(0);
  });

  it('lists hand-offs, unconfirmed sends, held customers, flagged and unmatched payments', async () => {
    // Prepare
    const handedOff = invoice('h1', {
      customerId: 'c1',
      status: 'handed_off',
      dueDate: '2026-02-01',
      callTask: {
        createdAt: '2026-03-18T09:00:00.000Z',
        stage: 'final',
        runId: 'r',
        status: 'open',
        assignee: 'Collections desk',
      },
    });
    const unknown = invoice('u1', {
      customerId: 'c1',
      claims: {
        first: { stage: 'first', status: 'unknown', claimedAt: '2026-03-20T09:00:00.000Z', runId: 'r7' },
      },
    });
    const mismatch = invoice('m1', {
      customerId: 'paused',
      flags: ['currency_mismatch'],
      appliedEventIds: ['usd'],
    });
    const reader = memoryReader(
      [handedOff, unknown, mismatch, invoice('d1', { customerId: 'disputed', currency: 'USD' })],
      [
        customer('c1', { name: 'Acme <Ltd>' }),
        customer('paused', { pausedUntil: '2026-04-15', pauseReason: 'promised to pay' }),
        customer('disputed', { status: 'disputed' }),
      ],
      {
        m1: [
          payment('usd', '2026-03-21T10:00:00.000Z', 100_00, {
            currency: 'USD',
            applied: false,
            flag: 'currency_mismatch',
          }),
        ],
      },
      [
        {
          eventId: 'evt-1',
          provider: 'stripe',
          type: 'invoice.paid',
          invoiceId: 'INV-404',
          kind: 'payment',
          amount: 42_00,
          currency: 'GBP',
          occurredAt: '2026-03-22T10:00:00.000Z',
          refs: ['stripe:in_404'],
          receivedAt: '2026-03-22T10:00:01.000Z',
        },
      ],
    );

    // Act
    const report = await collectReport(reader, moment, 'UTC');

    // Assess
    expect(report.handOffs).toEqual([
      {
        invoiceId: 'h1',
        invoiceNumber: 'N-h1',
        customerId: 'c1',
        customerName: 'Acme <Ltd>',
        customerEmail: 'c1@example.com',
        currency: 'EUR',
        outstanding: 100_00,
        daysOverdue: 58,
        handedOffAt: '2026-03-18T09:00:00.000Z',
        assignee: 'Collections desk',
      },
    ]);
    expect(report.unconfirmedSends).toEqual([
      {
        invoiceId: 'u1',
        invoiceNumber: 'N-u1',
        customerId: 'c1',
        stage: 'first',
        claimedAt: '2026-03-20T09:00:00.000Z',
        runId: 'r7',
      },
    ]);
    expect(report.heldCustomers).toEqual([
      {
        customerId: 'disputed',
        name: 'Customer disputed',
        reason: 'disputed',
        pausedUntil: null,
        note: null,
        outstanding: [{ currency: 'USD', amount: 100_00 }],
      },
      {
        customerId: 'paused',
        name: 'Customer paused',
        reason: 'paused',
        pausedUntil: '2026-04-15',
        note: 'promised to pay',
        outstanding: [{ currency: 'EUR', amount: 100_00 }],
      },
    ]);
    expect(report.heldInvoices).toEqual([
      {
        invoiceId: 'm1',
        invoiceNumber: 'N-m1',
        customerId: 'paused',
        currency: 'EUR',
        outstanding: 100_00,
        flags: ['currency_mismatch'],
      },
    ]);
    expect(report.flaggedPayments).toEqual([
      {
        invoiceId: 'm1',
        paymentId: 'usd',
        flag: 'currency_mismatch',
        provider: 'standard',
        kind: 'payment',
        amount: 100_00,
        currency: 'USD',
        invoiceCurrency: 'EUR',
        occurredAt: '2026-03-21T10:00:00.000Z',
      },
    ]);
    expect(report.unmatchedPayments).toEqual([
      {
        eventId: 'evt-1',
        invoiceId: 'INV-404',
        provider: 'stripe',
        kind: 'payment',
        amount: 42_00,
        currency: 'GBP',
        occurredAt: '2026-03-22T10:00:00.000Z',
        receivedAt: '2026-03-22T10:00:01.000Z',
      },
    ]);
  });

  it('leaves out a currency whose invoices are all settled and quiet in the period', async () => {
    // Prepare
    const reader = memoryReader(
      [invoice('paid', { currency: 'CHF', amountReceived: 100_00, status: 'paid' }), invoice('open')],
      [customer('c1')],
    );

    // Act
    const report = await collectReport(reader, moment, 'UTC');

    // Assess
    expect(report.currencies.map((line) => line.currency)).toEqual(['EUR']);
  });

  it('does not hold a customer whose pause ended before the report date', async () => {
    // Prepare
    const reader = memoryReader([invoice('i')], [customer('c1', { pausedUntil: '2026-03-31' })]);

    // Act
    const report = await collectReport(reader, moment, 'UTC');

    // Assess
    expect(report.heldCustomers).toEqual([]);
  });
});
