import { describe, expect, it } from 'vitest';
import type { Customer, Invoice, StageClaim } from '../../functions/shared/domain/model.ts';
import {
  abandonedClaims,
  assessInvoice,
  gapAllows,
  gapBoundary,
} from '../../functions/shared/domain/run/assess.ts';
import { dueStage } from '../../functions/shared/domain/run/stage-choice.ts';
import { loadPolicy } from '../../functions/shared/policy.ts';
import { openInvoice } from '../support/ledger-fixtures.ts';

const policy = loadPolicy();

const invoice = (overrides: Partial<Invoice> = {}): Invoice =>
  openInvoice({
    invoiceId: 'inv-1',
    invoiceNumber: 'INV-1',
    customerId: 'cus-1',
    currency: 'EUR',
    amountDue: 100_00,
    dueDate: '2026-03-01',
    ...overrides,
  });

const customer = (overrides: Partial<Customer> = {}): Customer => ({
  customerId: 'cus-1',
  name: 'Acme GmbH',
  email: 'ap@acme.example',
  locale: 'de-DE',
  timeZone: 'Europe/Berlin',
  status: 'active',
  ...overrides,
});

const sent = (stage: string): StageClaim => ({
  stage,
  status: 'sent',
  claimedAt: '2026-01-01T00:00:00Z',
  runId: 'old',
});

const context = (asOf: string, now = asOf) => ({
  policy,
  asOf: new Date(asOf),
  now: new Date(now),
  runId: 'run-now',
  staleClaimMs: 20 * 60_000,
});

describe('Stage selection', () => {
  it('gives an invoice entering 40 days late only the highest stage reached', () => {
    expect(dueStage(invoice(), policy, '2026-04-10')?.name).toBe('third');
  });

  it('gives nothing before the courtesy stage', () => {
    expect(dueStage(invoice(), policy, '2026-02-25')).toBeUndefined();
  });

  it('never goes back to a stage below one already claimed', () => {
    expect(dueStage(invoice({ claims: { third: sent('third') } }), policy, '2026-04-10')).toBeUndefined();
  });

  it('moves on to the next stage once its day comes', () => {
    expect(dueStage(invoice({ claims: { first: sent('first') } }), policy, '2026-03-15')?.name).toBe(
      'second',
    );
  });

  it('counts the due day in Berlin when UTC is still on the day before (DST change night)', () => {
    // 2026-03-28T23:30Z is 00:30 on the 29th in Berlin, the night the clocks go forward.
    const verdict = assessInvoice(
      invoice({ dueDate: '2026-03-28' }),
      customer(),
      context('2026-03-28T23:30:00Z'),
    );
    expect(verdict).toEqual({ kind: 'due', stage: expect.objectContaining({ name: 'first' }) });
  });

  it('does not count the due day in New York before its midnight on the fall-back day', () => {
    // 2026-11-02T04:30Z is 23:30 on 1 November in New York (EST since that morning).
    const verdict = assessInvoice(
      invoice({ dueDate: '2026-11-01' }),
      customer({ timeZone: 'America/New_York' }),
      context('2026-11-02T04:30:00Z'),
    );
    expect(verdict.kind).toBe('due');
    if (verdict.kind === 'due') expect(verdict.stage.name).toBe('courtesy');
  });

  it('reaches a stage half an hour earlier in Asia/Kolkata than a whole-hour zone would', () => {
    // 18:30Z on 1 March is 00:00 on 2 March in Kolkata: the first stage (due + 1) is reached.
    const ctx = context('2026-03-01T18:30:00Z');
    const kolkata = assessInvoice(invoice(), customer({ timeZone: 'Asia/Kolkata' }), ctx);
    const karachi = assessInvoice(invoice(), customer({ timeZone: 'Asia/Karachi' }), ctx);
    expect(kolkata.kind === 'due' && kolkata.stage.name).toBe('first');
    expect(karachi.kind === 'due' && karachi.stage.name).toBe('courtesy');
  });

  it('reaches a stage in America/St_Johns at its local midnight (-03:30)', () => {
    const before = assessInvoice(
      invoice(),
      customer({ timeZone: 'America/St_Johns' }),
      context('2026-03-02T03:29:00Z'),
    );
    const after = assessInvoice(
      invoice(),
      customer({ timeZone: 'America/St_Johns' }),
      context('2026-03-02T03:30:00Z'),
    );
    expect(before.kind === 'due' && before.stage.name).toBe('courtesy');
    expect(after.kind === 'due' && after.stage.name).toBe('first');
  });

  it('sees a day apart on either side of the date line at the same instant', () => {
    const ctx = context('2026-03-01T12:00:00Z'); // 2 March 02:00 in Kiritimati, 1 March 01:00 in Pago Pago
    const kiritimati = assessInvoice(invoice(), customer({ timeZone: 'Pacific/Kiritimati' }), ctx);
    const pagoPago = assessInvoice(invoice(), customer({ timeZone: 'Pacific/Pago_Pago' }), ctx);
    expect(kiritimati.kind === 'due' && kiritimati.stage.name).toBe('first');
    expect(pagoPago.kind === 'due' && pagoPago.stage.name).toBe('courtesy');
  });
});

describe('Skip reasons', () => {
  const asOf = '2026-03-10T12:00:00Z';

  it.each([
    ['opted_out', customer({ status: 'opted_out' })],
    ['bounced', customer({ status: 'bounced' })],
    ['disputed', customer({ status: 'disputed' })],
    ['paused', customer({ pausedUntil: '2026-03-11' })],
  ])('skips a %s customer', (reason, who) => {
    expect(assessInvoice(invoice(), who, context(asOf))).toEqual({ kind: 'skip', reason, leaveIndex: false });
  });

  it('sends again on the day a pause ends', () => {
    expect(assessInvoice(invoice(), customer({ pausedUntil: '2026-03-10' }), context(asOf)).kind).toBe('due');
  });

  it('skips a fully paid invoice and takes it out of the index', () => {
    expect(assessInvoice(invoice({ amountReceived: 100_00 }), customer(), context(asOf))).toEqual({
      kind: 'skip',
      reason: 'paid',
      leaveIndex: true,
    });
  });

  it('skips an invoice flagged for a currency mismatch and takes it out of the index until an operator acts', () => {
    expect(assessInvoice(invoice({ flags: ['currency_mismatch'] }), customer(), context(asOf))).toEqual({
      kind: 'skip',
      reason: 'currency_mismatch',
      leaveIndex: true,
    });
  });

  it('skips an amount under the policy minimum for its currency, and reminds one of exactly the minimum', () => {
    // EUR's minimum is the policy's default, 1.00.
    expect(assessInvoice(invoice({ amountDue: 99 }), customer(), context(asOf))).toEqual({
      kind: 'skip',
      reason: 'below_minimum',
      leaveIndex: false,
    });
    expect(assessInvoice(invoice({ amountDue: 100 }), customer(), context(asOf)).kind).toBe('due');
  });

  it('leaves a handed-off invoice silently, and moves one before its first stage on without a skip', () => {
    expect(assessInvoice(invoice({ status: 'handed_off' }), customer(), context(asOf))).toEqual({
      kind: 'closed',
    });
    // Due on 20 March: the courtesy stage (3 days before) is not reached on the 10th.
    expect(assessInvoice(invoice({ dueDate: '2026-03-20' }), customer(), context(asOf))).toEqual({
      kind: 'not_due',
    });
  });

  it('leaves an invoice alone while another live run holds its claim', () => {
    const claim: StageClaim = {
      stage: 'first',
      status: 'claimed',
      claimedAt: '2026-03-10T11:59:00Z',
      runId: 'other',
    };
    expect(assessInvoice(invoice({ claims: { first: claim } }), customer(), context(asOf)).kind).toBe(
      'in_flight',
    );
  });

  it('takes a fresh claim of this very run (a retried invocation) as abandoned: its outcome is unknown, never resent', () => {
    const own: StageClaim = {
      stage: 'first',
      status: 'claimed',
      claimedAt: '2026-03-10T11:59:00Z',
      runId: 'run-now',
    };
    const other: StageClaim = { ...own, stage: 'second', runId: 'other' };
    const claims = { claims: { first: own, second: other } };

    expect(abandonedClaims(claims, context(asOf))).toEqual([own]);
    // Twenty minutes on, another run's claim is from a dead run too.
    expect(abandonedClaims(claims, context(asOf, '2026-03-10T12:19:00Z'))).toEqual([own, other]);
  });
});

describe('Minimum gap', () => {
  const asOf = new Date('2026-03-12T10:00:00Z');

  it('blocks a second reminder two calendar days after the last', () => {
    expect(gapAllows(customer({ lastReminderAt: '2026-03-10T15:59:00Z' }), asOf, 3)).toBe(false);
  });

  it('allows one three calendar days later, whatever the hour', () => {
    expect(gapAllows(customer({ lastReminderAt: '2026-03-09T15:59:00Z' }), asOf, 3)).toBe(true);
  });

  it('counts the days in the customer’s zone, not in UTC', () => {
    // Auckland is UTC+13 in March: 00:30 on Tuesday 10 March, then 23:30 on Thursday 12 March, two
    // local days apart (three UTC dates apart: 9 and 12 March).
    const auckland = customer({ timeZone: 'Pacific/Auckland', lastReminderAt: '2026-03-09T11:30:00Z' });
    expect(gapAllows(auckland, new Date('2026-03-12T10:30:00Z'), 3)).toBe(false);
    // 00:30 on Friday 13 March in Auckland: three local days.
    expect(gapAllows(auckland, new Date('2026-03-12T11:30:00Z'), 3)).toBe(true);
  });

  it('puts the claim boundary at the start of the first allowed local day', () => {
    expect(gapBoundary(customer(), asOf, 3).toISOString()).toBe('2026-03-09T23:00:00.000Z');
  });
});
