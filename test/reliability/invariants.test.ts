import { describe, expect, it } from 'vitest';
import { checkInvariants, type Model, type Observed } from '../../chaos/model.ts';
import type { ShowDocument } from '../../functions/shared/domain/run/audit.ts';
import type { SentEmail } from '../support/emulators.ts';

/** The checker itself: each invariant must fail loudly on the state that breaks it. */
const model = (faulty = false): Model => ({
  trial: 'T1',
  faulty,
  invoices: [
    {
      invoiceId: 'T1-I0',
      invoiceNumber: 'T1-N0',
      customerId: 'T1-C0',
      amountDue: 100_00,
      paidAtImport: 0,
      dueDate: '2027-03-01',
      imported: true,
    },
  ],
  customers: [{ customerId: 'T1-C0', name: 'Customer 0' }],
  payments: [],
  asOf: new Date('2027-03-01T12:00:00Z'),
  paidAt: new Map(),
});

const document = (overrides: Partial<ShowDocument['invoice']> = {}, rest: Partial<ShowDocument> = {}) =>
  ({
    invoice: {
      invoiceId: 'T1-I0',
      invoiceNumber: 'T1-N0',
      customerId: 'T1-C0',
      currency: 'EUR',
      amountDue: 100_00,
      amountPaid: 0,
      outstanding: 100_00,
      issueDate: null,
      dueDate: '2027-03-01',
      stage: null,
      status: 'open',
      feesCharged: 0,
      nextActionAt: null,
      flags: [],
      ...overrides,
    },
    customer: null,
    payments: [],
    reminders: [],
    skips: [],
    ...rest,
  }) as ShowDocument;

const email = (...lines: string[]): SentEmail => ({
  messageId: 'm',
  from: 'billing@dunning.local',
  destination: { to: ['t1-c0@customer.example'], cc: [], bcc: [] },
  subject: 'Reminder',
  body: { text: lines.join('\n') },
  at: 0,
});

const sent = { stage: 'first', status: 'sent', sentAt: '2027-03-02T12:00:00Z', messageId: 'm', fee: 0 };

const observe = (doc: ShowDocument, emails: SentEmail[] = []): Observed => ({
  documents: new Map([['T1-I0', doc]]),
  emails,
});

describe('Invariant checker', () => {
  it('accepts a consistent store and mailbox', () => {
    expect(() =>
      checkInvariants(model(), observe(document({}, { reminders: [sent] }), [email('T1-N0|first|fee=0')])),
    ).not.toThrow();
  });

  it('flags two emails for one invoice and stage', () => {
    const emails = [email('T1-N0|first|fee=0'), email('T1-N0|first|fee=0')];

    expect(() => checkInvariants(model(), observe(document({}, { reminders: [sent] }), emails))).toThrow(
      /2 emails for one invoice and stage/,
    );
  });

  it('flags an outstanding amount that does not follow from the payments', () => {
    const state = model();
    state.payments.push({ eventId: 'e1', invoiceId: 'T1-I0', kind: 'payment', amount: 40_00, counts: true });
    const payment = {
      paymentId: 'e1',
      provider: 'standard' as const,
      amount: 40_00,
      currency: 'EUR',
      occurredAt: '2027-03-01T00:00:00Z',
      kind: 'payment' as const,
      applied: true,
    };

    expect(() =>
      checkInvariants(
        state,
        observe(document({ amountPaid: 80_00, outstanding: 20_00 }, { payments: [payment] })),
      ),
    ).toThrow(/amountPaid 8000, expected 4000/);
  });

  it('flags a delivery answered 2xx that show does not list', () => {
    const state = model();
    state.payments.push({ eventId: 'e1', invoiceId: 'T1-I0', kind: 'payment', amount: 40_00, counts: true });

    expect(() => checkInvariants(state, observe(document()))).toThrow(/event e1 shown 0 times/);
  });

  it('flags a reminder that went out after the full payment was recorded', () => {
    const state = model();
    const paid = document({ amountPaid: 100_00, outstanding: 0, status: 'paid' });
    state.invoices[0] = { ...(state.invoices[0] as Model['invoices'][number]), paidAtImport: 100_00 };
    checkInvariants(state, observe(paid));

    expect(() =>
      checkInvariants(state, observe({ ...paid, reminders: [sent] }, [email('T1-N0|first|fee=0')])),
    ).toThrow(/reminded after its full payment/);
  });

  it('flags a skip without a known reason', () => {
    expect(() =>
      checkInvariants(
        model(),
        observe(document({}, { skips: [{ at: '2027-03-01T12:00:00Z', reason: '' }] })),
      ),
    ).toThrow(/without a known reason/);
  });

  it("accepts a run's failure record only under faults and only for an injected cause", () => {
    const failed = (detail: string) =>
      observe(document({}, { skips: [{ at: '2027-03-01T12:00:00Z', reason: 'failed', detail }] }));
    const throttled = 'TransientSendError: Too many requests.';

    expect(() => checkInvariants(model(true), failed(throttled))).not.toThrow();
    expect(() => checkInvariants(model(false), failed(throttled))).toThrow(
      /without a known reason \('failed': TransientSendError/,
    );
    expect(() => checkInvariants(model(true), failed('TypeError: x is undefined'))).toThrow(
      /without a known reason \('failed': TypeError/,
    );
  });
});
