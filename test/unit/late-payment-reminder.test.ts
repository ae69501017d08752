import { describe, expect, it } from 'vitest';
import { withStageCharges } from '../../functions/shared/domain/charges.ts';
import { claimsAtStage, reminderClaim } from '../../functions/shared/domain/interest/reminder-claim.ts';
import { type Policy, parsePolicy } from '../../functions/shared/domain/policy.ts';
import { reminderLine } from '../../functions/shared/domain/reminder/line.ts';
import { renderReminder } from '../../functions/shared/domain/reminder/render.ts';
import { ReportBuilder } from '../../functions/shared/domain/report/builder.ts';
import { reportMoment } from '../../functions/shared/domain/report/period.ts';
import { loadReferenceRates } from '../../functions/shared/reference-rates.ts';
import {
  policy as basePolicy,
  customer,
  dueDateFor,
  input,
  invoice,
  NOW,
  PAYMENT_URL_TEMPLATE,
  stage,
  templates,
} from './reminder-fixtures.ts';

const claiming = (settings: unknown): Policy =>
  parsePolicy({ ...structuredClone(basePolicy), statutoryInterest: settings }, 'test policy');
const policy = claiming({ claimIn: ['DE', 'GB'], fromStage: 'second' });
const deps = { rates: loadReferenceRates(), payments: async () => [] };
const german = customer({ country: 'DE', locale: 'de-DE' });
/** Intl separates numbers from units with no-break spaces; the sentence is compared as read. */
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

const reminderFor = async (who = german, stageName = 'second') => {
  const bill = invoice({ dueDate: dueDateFor(stageName) });
  const latePayment = await reminderClaim(deps, policy, bill, who, stageName, NOW);
  const line = reminderLine({
    invoice: bill,
    customer: who,
    stage: stage(stageName),
    now: NOW,
    paymentUrlTemplate: PAYMENT_URL_TEMPLATE,
    ...(latePayment ? { latePayment } : {}),
  });
  return { latePayment, rendered: renderReminder({ ...input(who, [line]), policy }, templates) };
};

describe('Statutory interest in the reminder', () => {
  it('is off by default and on only for the jurisdictions and stages the policy names', () => {
    expect(claimsAtStage(basePolicy, german, 'final')).toBe(false);
    expect(claimsAtStage(policy, german, 'first')).toBe(false);
    expect(claimsAtStage(policy, german, 'second')).toBe(true);
    expect(claimsAtStage(policy, german, 'final')).toBe(true);
    expect(claimsAtStage(policy, customer({ country: 'FR' }), 'final')).toBe(false);
  });

  it('refuses a policy that claims it without naming an overdue stage to start from', () => {
    expect(() => claiming({ claimIn: ['DE'] })).toThrow(/statutoryInterest\.fromStage/);
    expect(() => claiming({ claimIn: ['DE'], fromStage: 'courtesy' })).toThrow(
      /statutoryInterest\.fromStage/,
    );
  });

  it('states law, rate, start, interest to date and compensation in one sentence, in German', async () => {
    // Due 6 March 2026: 14 days at 1.27 % + 9 = 10.27 % on 1.234,50 € = 4,86 €.
    const { latePayment, rendered } = await reminderFor();
    expect(latePayment).toMatchObject({ interest: 486, compensation: 4_000, interestFrom: '2026-03-07' });
    expect(plain(rendered.text)).toContain(
      'Nach § 288 Abs. 2 und 5 BGB fallen seit dem 7. März 2026 Verzugszinsen von 10,27 % pro Jahr an (bis heute 4,86 €); zudem ist eine Pauschale von 40,00 € zu zahlen.',
    );
    expect(plain(rendered.html)).toContain('Verzugszinsen von 10,27 % pro Jahr');
  });

  it('says the same in English for an English-speaking customer', async () => {
    const { rendered } = await reminderFor(customer({ country: 'DE', locale: 'en-GB' }));
    expect(plain(rendered.text)).toContain(
      'Under § 288 Abs. 2 und 5 BGB, statutory interest of 10.27% a year runs from 7 March 2026 (€4.86 to date), and fixed compensation of €40.00 for recovery costs is due.',
    );
    expect(rendered.text).not.toMatch(/legal action|court|solicitor|Inkasso/i);
  });

  it('states nothing to a consumer, or before the stage the policy names', async () => {
    expect(
      (await reminderFor(customer({ country: 'DE', customerType: 'consumer' }))).latePayment,
    ).toBeUndefined();
    const early = await reminderFor(german, 'first');
    expect(early.latePayment).toBeUndefined();
    expect(early.rendered.text).not.toContain('Verzugszinsen');
  });

  it('records interest to date and compensation once on the ledger, never over a waiver', () => {
    const late = { interest: 486, compensation: 4_000, law: '§ 288', asOf: '2026-03-20' };
    const claim = {
      stage: 'second',
      status: 'claimed' as const,
      claimedAt: '2026-03-20T10:00:00.000Z',
      runId: 'r',
      fee: 0,
      latePayment: late,
    };
    const first = withStageCharges(invoice(), claim);
    expect(first).toEqual({
      interest: {
        kind: 'interest',
        amount: 486,
        asOf: '2026-03-20',
        stage: 'second',
        chargedAt: claim.claimedAt,
        law: '§ 288',
      },
      compensation: {
        kind: 'compensation',
        amount: 4_000,
        stage: 'second',
        chargedAt: claim.claimedAt,
        law: '§ 288',
      },
    });
    const waived = { at: '2026-03-25T10:00:00.000Z', by: 'operator:ana', reason: 'goodwill' };
    const later = withStageCharges(
      invoice({ charges: { ...first, interest: { ...first.interest, waived } as never } }),
      {
        ...claim,
        stage: 'third',
        claimedAt: '2026-04-05T10:00:00.000Z',
        latePayment: { ...late, interest: 900 },
      },
    );
    expect(later.interest).toMatchObject({ amount: 486, waived });
    expect(later.compensation).toEqual(first.compensation);
  });
});

describe('Statutory interest in the report', () => {
  it('totals interest and compensation claimed on open invoices per currency, leaving out waived ones', () => {
    const builder = new ReportBuilder(reportMoment('2026-03-31', 'UTC', new Date()), 'UTC');
    const at = '2026-03-20T10:00:00.000Z';
    const claimed = (amount: number, waived?: { at: string; by: string; reason: string }) => ({
      interest: { kind: 'interest' as const, amount, chargedAt: at, ...(waived ? { waived } : {}) },
      compensation: { kind: 'compensation' as const, amount: 4_000, chargedAt: at },
    });
    builder.addInvoice(invoice({ invoiceId: 'A', dueDate: '2026-02-01', charges: claimed(486) }), customer());
    builder.addInvoice(
      invoice({
        invoiceId: 'B',
        dueDate: '2026-02-01',
        charges: claimed(900, { at, by: 'operator:ana', reason: 'goodwill' }),
      }),
      customer(),
    );
    builder.addInvoice(invoice({ invoiceId: 'C', dueDate: '2026-02-01' }), customer());
    // A waived fixed sum is left out like waived interest.
    builder.addInvoice(
      invoice({
        invoiceId: 'D',
        dueDate: '2026-02-01',
        charges: {
          compensation: {
            kind: 'compensation',
            amount: 4_000,
            chargedAt: at,
            waived: { at, by: 'operator:ana', reason: 'goodwill' },
          },
        },
      }),
      customer(),
    );
    expect(builder.build().currencies).toEqual([
      expect.objectContaining({ currency: 'EUR', interestClaimed: 486, compensationClaimed: 8_000 }),
    ]);
  });
});
