import * as crypto from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { signAnswerLink, verifyAnswerLink } from '../../functions/shared/domain/answers/link-token.ts';
import {
  isValidOptOutToken,
  optOutToken,
} from '../../functions/shared/domain/customer-care/opt-out-token.ts';

// The real comparison, watched: how long a check takes must not tell how much of a token was right.
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

/**
 * Guard: a link works only for the customer it was sent to, and a forged one learns nothing from the
 * answer's timing. The opt-out token and the answer link's signature are HMACs compared in constant
 * time; a plain comparison would give the same answers, so each case watches the comparison too.
 */

const KEY = 'k'.repeat(32);
const NOW = new Date('2026-03-10T10:00:00Z');

/** The same length as the real one, one character off: only the comparison can tell them apart. */
const forged = (token: string) => `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;

describe('Guard: link tokens', () => {
  afterEach(() => vi.mocked(crypto.timingSafeEqual).mockClear());

  it('takes an opt-out token only for its customer, compared in constant time', () => {
    const token = optOutToken(KEY, 'C-1');

    expect(isValidOptOutToken(KEY, 'C-1', token)).toBe(true);
    expect(isValidOptOutToken(KEY, 'C-1', forged(token))).toBe(false);
    expect(isValidOptOutToken(KEY, 'C-2', token)).toBe(false);
    expect(crypto.timingSafeEqual).toHaveBeenCalledTimes(3);
  });

  it('takes an answer link only with its own signature, compared in constant time', () => {
    const token = signAnswerLink(KEY, {
      customerId: 'C-1',
      invoiceIds: ['INV-1'],
      expiresAt: NOW.getTime() / 1000 + 86_400,
    });

    expect(verifyAnswerLink(KEY, token, NOW)).toMatchObject({ ok: true });
    expect(verifyAnswerLink(KEY, forged(token), NOW)).toEqual({ ok: false, reason: 'signature' });
    expect(crypto.timingSafeEqual).toHaveBeenCalledTimes(2);
  });
});
