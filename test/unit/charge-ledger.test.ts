import { describe, expect, it } from 'vitest';
import {
  ledgerView,
  parseWaiveTarget,
  waiveCharge,
  withStageFee,
} from '../../functions/shared/domain/charges.ts';
import type { Invoice } from '../../functions/shared/domain/model.ts';

const invoice = (overrides: Partial<Invoice> = {}): Invoice => ({
  invoiceId: 'INV-1',
  invoiceNumber: 'INV-1',
  customerId: 'C-1',
  currency: 'EUR',
  amountDue: 10_000,
  amountPaid: 0,
  amountReceived: 0,
  feesCharged: 0,
  dueDate: '2026-03-31',
  status: 'open',
  claims: {},
  appliedEventIds: [],
  flags: [],
  version: 3,
  ...overrides,
});
const waiver = { at: '2026-05-01T10:00:00.000Z', by: 'operator:ana', reason: 'goodwill' };

describe('Charge ledger', () => {
  it("reads a stage's fee charged before the ledger existed from its claim, and waives it", () => {
    const legacy = invoice({
      feesCharged: 1_500,
      claims: {
        third: {
          stage: 'third',
          status: 'sent',
          claimedAt: '2026-04-30T09:00:00.000Z',
          runId: 'r',
          fee: 1_500,
        },
      },
    });
    const result = waiveCharge(legacy, { kind: 'fee', stage: 'third' }, waiver);
    expect(result.feesCharged).toBe(0);
    expect(result.charges['fee:third']).toEqual({
      kind: 'fee',
      amount: 1_500,
      stage: 'third',
      chargedAt: '2026-04-30T09:00:00.000Z',
      waived: waiver,
    });
  });

  it('marks the invoice paid when the waived fee was all that was left', () => {
    const onlyFee = invoice({
      amountReceived: 10_000,
      feesCharged: 1_500,
      charges: withStageFee(invoice(), 'third', 1_500, '2026-04-30T09:00:00.000Z'),
    });
    expect(waiveCharge(onlyFee, { kind: 'fee', stage: 'third' }, waiver).status).toBe('paid');
  });

  it('records interest waived before any reminder claimed it, at what it stood at', () => {
    const result = waiveCharge(invoice(), { kind: 'interest' }, waiver, {
      amount: 812,
      law: '§ 288',
      asOf: '2026-05-01',
    });
    expect(ledgerView({ ...invoice(), charges: result.charges })).toEqual([
      {
        key: 'interest',
        kind: 'interest',
        stage: null,
        amount: 812,
        currency: 'EUR',
        chargedAt: waiver.at,
        asOf: '2026-05-01',
        law: '§ 288',
        waived: waiver,
      },
    ]);
  });

  it('refuses a second waiver and a fee that was never charged', () => {
    const once = invoice({ charges: waiveCharge(invoice(), { kind: 'compensation' }, waiver).charges });
    expect(() => waiveCharge(once, { kind: 'compensation' }, waiver)).toThrow(
      /already waived on .* by operator:ana: goodwill/,
    );
    expect(() => waiveCharge(invoice(), { kind: 'fee', stage: 'final' }, waiver)).toThrow(
      'no fee charged at stage "final"',
    );
  });

  it('takes exactly one of --fee, --interest, --compensation', () => {
    expect(parseWaiveTarget({ fee: ' third ' })).toEqual({ kind: 'fee', stage: 'third' });
    expect(parseWaiveTarget({ compensation: true })).toEqual({ kind: 'compensation' });
    expect(() => parseWaiveTarget({})).toThrow('exactly one of');
    expect(() => parseWaiveTarget({ interest: true, fee: 'third' })).toThrow('exactly one of');
  });
});
