import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { InvoiceAnswer } from '../../functions/shared/domain/answers/kinds.ts';
import {
  answerLinkUrl,
  linkExpiry,
  signAnswerLink,
  verifyAnswerLink,
} from '../../functions/shared/domain/answers/link-token.ts';
import {
  answerHold,
  answerLapse,
  answerNote,
  answerStatusOn,
  heldThrough,
  parseAnswerForm,
  supersedes,
} from '../../functions/shared/domain/answers/rules.ts';
import { ANSWER_POLICY_DEFAULTS } from '../../functions/shared/domain/policy.ts';
import { openInvoice } from '../support/ledger-fixtures.ts';

const KEY = 'answer-link-key-for-unit-tests-0123456789';
const policy = { ...ANSWER_POLICY_DEFAULTS };
const SENT = new Date('2026-03-02T09:00:00Z');
const invoice = (extra: Partial<Parameters<typeof openInvoice>[0]> = {}) =>
  openInvoice({
    invoiceId: 'INV-1',
    customerId: 'C-1',
    currency: 'EUR',
    amountDue: 10_000,
    dueDate: '2026-03-01',
    ...extra,
  });

describe('Answer link token', () => {
  const link = { customerId: 'C-1', invoiceIds: ['INV-1', 'INV-2'], expiresAt: linkExpiry(SENT, 60) };

  it('verifies its own token and gives back the customer and that email’s invoices', () => {
    const check = verifyAnswerLink(KEY, signAnswerLink(KEY, link), SENT);
    expect(check).toEqual({
      ok: true,
      link: { ...link, linkId: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/) },
    });
  });

  it('expires on the clock: valid a second before the policy’s 60 days, expired at them', () => {
    const token = signAnswerLink(KEY, link);
    const expiry = new Date(link.expiresAt * 1000);
    expect(link.expiresAt * 1000 - SENT.getTime()).toBe(60 * 86_400_000);
    expect(verifyAnswerLink(KEY, token, new Date(expiry.getTime() - 1000)).ok).toBe(true);
    expect(verifyAnswerLink(KEY, token, expiry)).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses a token signed with another key, tampered, or for other invoices', () => {
    const token = signAnswerLink(KEY, link);
    const [version, payload, signature] = token.split('.');
    const other = Buffer.from(JSON.stringify({ c: 'C-1', i: ['INV-9'], x: link.expiresAt })).toString(
      'base64url',
    );
    expect(verifyAnswerLink(`${KEY}x`, token, SENT)).toEqual({ ok: false, reason: 'signature' });
    expect(verifyAnswerLink(KEY, `${version}.${other}.${signature}`, SENT)).toEqual({
      ok: false,
      reason: 'signature',
    });
    expect(verifyAnswerLink(KEY, `${token}A`, SENT)).toEqual({ ok: false, reason: 'malformed' });
    for (const junk of [undefined, '', 'v1..', 'v2.a.b', 'x'.repeat(7000), `${version}.${payload}`])
      expect(verifyAnswerLink(KEY, junk, SENT).ok).toBe(false);
  });

  it('never accepts a flipped character anywhere in the token', () => {
    const token = signAnswerLink(KEY, link);
    fc.assert(
      fc.property(fc.nat(token.length - 1), fc.constantFrom(...'AZaz09-_.'), (at, char) => {
        fc.pre(token[at] !== char);
        const changed = `${token.slice(0, at)}${char}${token.slice(at + 1)}`;
        return !verifyAnswerLink(KEY, changed, SENT).ok;
      }),
      { numRuns: 500 },
    );
  });

  it('names the customer’s language, so a page that cannot read the store still speaks it', () => {
    const language = (locale: string) =>
      (
        verifyAnswerLink(KEY, signAnswerLink(KEY, { ...link, locale }), SENT) as {
          link: { language?: string };
        }
      ).link.language;
    expect(language('de-CH')).toBe('de');
    expect(language('ja-JP')).toBe('ja');
    // A tag that does not parse names none: the page falls back to the reader's Accept-Language.
    expect(language('not a locale')).toBeUndefined();
    // Signed in, never trusted beyond its shape: a payload naming something else is ignored.
    const odd = Buffer.from(JSON.stringify({ c: 'C-1', i: ['INV-1'], x: link.expiresAt, l: '<b>' })).toString(
      'base64url',
    );
    const signed = `v1.${odd}`;
    const token = `${signed}.${createHmac('sha256', KEY).update(signed).digest('base64url')}`;
    expect(verifyAnswerLink(KEY, token, SENT)).toMatchObject({ ok: true, link: { customerId: 'C-1' } });
    expect((verifyAnswerLink(KEY, token, SENT) as { link: object }).link).not.toHaveProperty('language');
  });

  it('puts the token in {base}/respond?token=', () => {
    const url = new URL(answerLinkUrl('https://abc.lambda-url.eu-west-1.on.aws/', 'v1.a.b'));
    expect(url.pathname).toBe('/respond');
    expect(url.searchParams.get('token')).toBe('v1.a.b');
  });
});

describe('Answer form', () => {
  const ids = ['INV-1', 'INV-2'];
  const today = '2026-03-10';

  it('takes a promise from tomorrow to the policy’s maximum (14 days)', () => {
    expect(parseAnswerForm({ action: 'promise', date: '2026-03-11' }, ids, today, policy)).toEqual({
      ok: true,
      choice: { kind: 'promise', invoiceIds: ids, promisedFor: '2026-03-11' },
    });
    expect(parseAnswerForm({ action: 'promise', date: '2026-03-24' }, ids, today, policy).ok).toBe(true);
    expect(parseAnswerForm({ action: 'promise', date: '2026-03-10' }, ids, today, policy)).toEqual({
      ok: false,
      problem: { field: 'date', problem: 'too_early', limit: '2026-03-11' },
    });
    expect(parseAnswerForm({ action: 'promise', date: '2026-03-25' }, ids, today, policy)).toEqual({
      ok: false,
      problem: { field: 'date', problem: 'too_late', limit: '2026-03-24' },
    });
    expect(parseAnswerForm({ action: 'promise' }, ids, today, policy)).toMatchObject({
      problem: { field: 'date', problem: 'required' },
    });
    expect(parseAnswerForm({ action: 'promise', date: '2026-02-30' }, ids, today, policy)).toMatchObject({
      problem: { field: 'date', problem: 'not_a_date' },
    });
  });

  it('names the field of every other refusal', () => {
    const problem = (form: Parameters<typeof parseAnswerForm>[0]) => {
      const parsed = parseAnswerForm(form, ids, today, policy);
      return parsed.ok ? undefined : `${parsed.problem.field}:${parsed.problem.problem}`;
    };
    expect(problem({})).toBe('action:required');
    expect(problem({ action: 'refund' })).toBe('action:unknown');
    expect(problem({ action: 'paid', invoice: 'INV-9' })).toBe('invoice:unknown');
    expect(problem({ action: 'paid', date: '2026-03-11' })).toBe('date:in_future');
    expect(problem({ action: 'paid', reference: 'x'.repeat(201) })).toBe('reference:too_long');
    expect(problem({ action: 'dispute', message: '  \n ' })).toBe('message:required');
    expect(problem({ action: 'plan', message: 'x'.repeat(2001) })).toBe('message:too_long');
  });

  it('keeps one invoice when named, the customer’s paragraphs, and one-line references', () => {
    expect(
      parseAnswerForm(
        { action: 'dispute', invoice: 'INV-2', message: 'Wrong\r\n\r\n\r\nquantity\u0007' },
        ids,
        today,
        policy,
      ),
    ).toEqual({ ok: true, choice: { kind: 'dispute', invoiceIds: ['INV-2'], message: 'Wrong\n\nquantity' } });
    expect(
      parseAnswerForm({ action: 'paid', date: '2026-03-09', reference: ' TX\n42 ' }, ids, today, policy),
    ).toEqual({
      ok: true,
      choice: { kind: 'paid', invoiceIds: ids, paidOn: '2026-03-09', reference: 'TX 42' },
    });
  });
});

describe('Answer transitions on the clock', () => {
  const promise: InvoiceAnswer = {
    answerId: 'A-1',
    kind: 'promise',
    at: '2026-03-10T10:00:00.000Z',
    status: 'held',
    promisedFor: '2026-03-15',
    heldThrough: heldThrough(
      { kind: 'promise', invoiceIds: [], promisedFor: '2026-03-15' },
      '2026-03-10',
      policy,
    ),
  };
  const claim: InvoiceAnswer = {
    answerId: 'A-2',
    kind: 'paid',
    at: '2026-03-10T10:00:00.000Z',
    status: 'held',
    paidOn: '2026-03-09',
    reference: 'TX-42',
    heldThrough: heldThrough({ kind: 'paid', invoiceIds: [] }, '2026-03-10', policy),
  };
  const paid = { amountReceived: 10_000, status: 'paid' as const };

  it('holds a promise through its date plus the grace, under the skip reason promised', () => {
    expect(promise.heldThrough).toBe('2026-03-18');
    const held = invoice({ answer: promise });
    expect(answerStatusOn(promise, held, '2026-03-18')).toBe('held');
    expect(answerHold(held, '2026-03-18')).toBe('promised');
    expect(answerLapse(held, '2026-03-18', policy)).toBeUndefined();
  });

  it('keeps a promise paid in full within its days', () => {
    const settled = invoice({ answer: promise, ...paid });
    expect(answerStatusOn(promise, settled, '2026-03-16')).toBe('kept');
    expect(answerHold(settled, '2026-03-16')).toBeUndefined();
    expect(answerLapse(settled, '2026-03-20', policy)).toBeUndefined();
  });

  it('breaks a promise unpaid the day after its grace; a part payment does not keep it', () => {
    const part = invoice({ answer: promise, amountReceived: 4_000 });
    expect(answerStatusOn(promise, part, '2026-03-19')).toBe('broken');
    expect(answerHold(part, '2026-03-19')).toBeUndefined();
    expect(answerLapse(part, '2026-03-19', policy)).toEqual({ status: 'broken', handOff: false });
    expect(answerLapse(part, '2026-03-19', { ...policy, brokenPromiseHandsOff: true })).toEqual({
      status: 'broken',
      handOff: true,
    });
  });

  it('holds a payment claim for the grace days, then matched or unmatched', () => {
    expect(claim.heldThrough).toBe('2026-03-15');
    const open = invoice({ answer: claim });
    expect(answerHold(open, '2026-03-15')).toBe('paid_claimed');
    expect(answerStatusOn(claim, invoice({ answer: claim, ...paid }), '2026-03-12')).toBe('matched');
    expect(answerStatusOn(claim, open, '2026-03-16')).toBe('unmatched');
    expect(answerLapse(open, '2026-03-16', { ...policy, brokenPromiseHandsOff: true })).toEqual({
      status: 'unmatched',
      handOff: false,
    });
  });

  it('holds a plan request until an operator resolves it, and a dispute through its flag only', () => {
    const plan: InvoiceAnswer = { answerId: 'A-3', kind: 'plan', at: promise.at, status: 'held' };
    expect(answerHold(invoice({ answer: plan }), '2027-01-01')).toBe('plan_requested');
    expect(answerHold(invoice({ answer: { ...plan, status: 'resolved' } }), '2026-03-11')).toBeUndefined();
    const dispute: InvoiceAnswer = { ...plan, answerId: 'A-4', kind: 'dispute' };
    expect(answerHold(invoice({ answer: dispute, flags: ['disputed'] }), '2026-03-11')).toBeUndefined();
    expect(answerStatusOn(dispute, invoice({ flags: ['disputed'] }), '2026-03-11')).toBe('held');
    expect(answerStatusOn(dispute, invoice(), '2026-03-11')).toBe('resolved');
  });

  it('supersedes only an answer still open; a recorded final status stays', () => {
    const open = invoice({ answer: promise });
    expect(supersedes(undefined, open, '2026-03-12')).toBe(false);
    expect(supersedes(promise, open, '2026-03-12')).toBe(true);
    expect(supersedes(promise, invoice({ ...paid }), '2026-03-12')).toBe(false);
    const superseded = { ...promise, status: 'superseded' as const };
    expect(answerStatusOn(superseded, invoice(), '2026-04-01')).toBe('superseded');
    expect(supersedes(superseded, invoice(), '2026-03-12')).toBe(false);
  });

  it('gives the next reminder a note about a broken promise or an unmatched payment', () => {
    expect(answerNote(invoice({ answer: promise }))).toBeUndefined();
    expect(answerNote(invoice({ answer: { ...promise, status: 'broken' } }))).toEqual({
      kind: 'broken_promise',
      promisedFor: '2026-03-15',
      at: promise.at,
    });
    expect(answerNote(invoice({ answer: { ...claim, status: 'unmatched' } }))).toEqual({
      kind: 'unmatched_payment',
      paidOn: '2026-03-09',
      reference: 'TX-42',
      at: claim.at,
    });
  });
});
