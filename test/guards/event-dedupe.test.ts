import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPaymentEvent } from '../../functions/shared/domain/payments/apply.ts';
import type { InvoicePaymentEvent } from '../../functions/shared/domain/payments/event.ts';
import { loadPolicy } from '../../functions/shared/policy.ts';
import { startTestStore, type TestStore } from '../support/emulators.ts';
import { anInvoice, seedInvoice } from '../support/payment-fixtures.ts';
import { testRecorder } from '../support/payment-hosts.ts';

/**
 * Guard: a provider's event is applied once. The decision (an event id among the invoice's latest
 * `appliedEventIds`, or money its settlements already hold, is a duplicate) and the write that applies
 * it (conditional on the id not being there yet, and on the version read) each hold it; each case
 * fails if one of them is dropped.
 */

const policy = loadPolicy();

const payment = (overrides: Partial<InvoicePaymentEvent> = {}): InvoicePaymentEvent => ({
  eventId: 'stripe:evt_1',
  provider: 'stripe',
  type: 'payment_intent.succeeded',
  invoiceId: 'INV-1',
  kind: 'payment',
  amount: 40_00,
  currency: 'USD',
  occurredAt: '2030-02-02T10:00:00.000Z',
  refs: ['stripe:pi_1'],
  ...overrides,
});

describe('Guard: the event-id dedupe', () => {
  it('decides that an event whose id was applied changes nothing', () => {
    const invoice = anInvoice({ appliedEventIds: ['stripe:evt_1'], amountReceived: 40_00 });

    expect(applyPaymentEvent(invoice, payment(), 'UTC', policy)).toEqual({ outcome: 'duplicate' });
  });

  it('decides that a new event for money already applied (a shared money id) changes nothing', () => {
    const invoice = anInvoice({
      appliedEventIds: ['stripe:evt_1'],
      amountReceived: 40_00,
      settlements: { 'stripe:pi_1': { refs: ['stripe:pi_1'], paid: 40_00 } },
      receivedBase: 0,
    });

    expect(
      applyPaymentEvent(
        invoice,
        payment({ eventId: 'stripe:evt_2', refs: ['stripe:pi_1', 'stripe:cs_1'] }),
        'UTC',
        policy,
      ).outcome,
    ).toBe('duplicate');
  });

  describe('on the store', () => {
    let store: TestStore;
    beforeAll(async () => {
      store = await startTestStore();
    });
    afterAll(() => store.stop());

    it('refuses to apply an event a second time even to an invoice at the version read', async () => {
      const recorder = testRecorder(store);
      await seedInvoice(store, anInvoice({ invoiceId: 'INV-W', appliedEventIds: ['stripe:evt_1'] }));
      const decision = applyPaymentEvent(anInvoice({ invoiceId: 'INV-W' }), payment(), 'UTC', policy);
      if (decision.outcome !== 'applied') throw new Error('a new payment must apply');

      // The write as a racing receiver would send it: same version, the event already applied there.
      const written = await recorder.ledger.applyChange('INV-W', decision.change);

      expect(written).toBe('conflict');
      expect((await recorder.ledger.readInvoice('INV-W'))?.amountReceived).toBe(0);
    });

    it('applies nothing to an invoice removed since it was read (never writes half an invoice)', async () => {
      const recorder = testRecorder(store);
      // Read at version 0 (an item from before versions): the version condition alone lets a missing item by.
      const read = anInvoice({ invoiceId: 'INV-GONE', version: 0 });
      const decision = applyPaymentEvent(read, payment({ invoiceId: 'INV-GONE' }), 'UTC', policy);
      if (decision.outcome !== 'applied') throw new Error('a new payment must apply');

      expect(await recorder.ledger.applyChange('INV-GONE', decision.change)).toBe('conflict');
      expect(await recorder.ledger.readInvoice('INV-GONE')).toBeUndefined();
    });

    it('applies a redelivered event once, however often it arrives', async () => {
      const recorder = testRecorder(store);
      await seedInvoice(store, anInvoice({ invoiceId: 'INV-R' }));
      const event = payment({ invoiceId: 'INV-R', eventId: 'stripe:evt_r' });

      const outcomes = [await recorder.record(event), await recorder.record(event)];
      outcomes.push(...(await Promise.all([recorder.record(event), recorder.record(event)])));

      expect(outcomes).toEqual(['applied', 'duplicate', 'duplicate', 'duplicate']);
      const read = await recorder.ledger.readInvoice('INV-R');
      expect(read?.amountReceived).toBe(40_00);
      expect(read?.appliedEventIds.filter((id) => id === 'stripe:evt_r')).toHaveLength(1);
    });
  });
});
