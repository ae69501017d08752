import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  mailVerdicts,
  normaliseAddress,
  sesMailEventSchema,
} from '../../functions/shared/domain/customer-care/mail-event.ts';
import {
  isValidOptOutToken,
  optOutLink,
  optOutToken,
} from '../../functions/shared/domain/customer-care/opt-out-token.ts';
import {
  cleanReason,
  parsePauseUntil,
  standingOf,
} from '../../functions/shared/domain/customer-care/standing.ts';
import type { Customer } from '../../functions/shared/domain/model.ts';
import { UserInputError } from '../../functions/shared/errors.ts';
import { sesEvent } from '../integration/care-support.ts';

const SECRET = 'opt-out-secret-for-unit-tests-0123456789';

describe('Opt-out token', () => {
  it('accepts the token made for the same customer and secret', () => {
    expect(isValidOptOutToken(SECRET, 'C-1', optOutToken(SECRET, 'C-1'))).toBe(true);
  });

  it('never lets one customer’s token opt out another', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), (a, b) => {
        fc.pre(a !== b);
        return !isValidOptOutToken(SECRET, b, optOutToken(SECRET, a));
      }),
      { numRuns: 2_000 },
    );
  });

  it('refuses a missing, tampered or other-secret token', () => {
    const token = optOutToken(SECRET, 'C-1');
    const tampered = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;

    expect(isValidOptOutToken(SECRET, 'C-1', undefined)).toBe(false);
    expect(isValidOptOutToken(SECRET, 'C-1', '')).toBe(false);
    expect(isValidOptOutToken(SECRET, 'C-1', tampered)).toBe(false);
    expect(isValidOptOutToken(SECRET, 'C-1', `${token}x`)).toBe(false);
    expect(isValidOptOutToken(`${SECRET}-other`, 'C-1', token)).toBe(false);
    expect(isValidOptOutToken(SECRET, '', optOutToken(SECRET, ''))).toBe(false);
  });

  it('puts the encoded customer id and the base64url token in the link', () => {
    const link = new URL(optOutLink('https://abc.lambda-url.eu-west-1.on.aws/', SECRET, 'A&B 1'));

    expect(link.pathname).toBe('/optout');
    expect(link.searchParams.get('customer')).toBe('A&B 1');
    expect(link.searchParams.get('token')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(isValidOptOutToken(SECRET, 'A&B 1', link.searchParams.get('token') ?? '')).toBe(true);
  });
});

describe('Pause date and reason', () => {
  it('takes an ISO date after today', () => {
    expect(parsePauseUntil(' 2026-04-30 ', '2026-03-10')).toBe('2026-04-30');
  });

  it('refuses today, a past date, an impossible date and other text, naming the value', () => {
    expect(() => parsePauseUntil('2026-03-10', '2026-03-10')).toThrow(
      /--until 2026-03-10 is not after today/,
    );
    expect(() => parsePauseUntil('2026-02-30', '2026-01-10')).toThrow(UserInputError);
    expect(() => parsePauseUntil('next week', '2026-03-10')).toThrow(
      '--until "next week" is not an ISO date',
    );
  });

  it('keeps a reason on one line and refuses an overlong one', () => {
    expect(cleanReason('  payment\nplan   agreed ')).toBe('payment plan agreed');
    expect(cleanReason('   ')).toBeUndefined();
    expect(() => cleanReason('x'.repeat(501))).toThrow(/at most 500/);
  });
});

describe('Customer standing', () => {
  const someone: Customer = {
    customerId: 'C-1',
    name: 'C',
    email: 'c@example.com',
    locale: 'en-US',
    timeZone: 'UTC',
    status: 'active',
  };

  it('is paused until the date, then active again on that day', () => {
    const paused = { ...someone, pausedUntil: '2026-03-20', pauseReason: 'promise to pay' };

    expect(standingOf(paused, '2026-03-19')).toEqual({
      customerId: 'C-1',
      status: 'paused',
      pausedUntil: '2026-03-20',
      reason: 'promise to pay',
    });
    expect(standingOf(paused, '2026-03-20')).toEqual({ customerId: 'C-1', status: 'active' });
  });

  it('shows an opt-out over a pause, and the pause beside it', () => {
    expect(standingOf({ ...someone, status: 'opted_out', pausedUntil: '2026-03-20' }, '2026-03-01')).toEqual({
      customerId: 'C-1',
      status: 'opted_out',
      pausedUntil: '2026-03-20',
    });
  });
});

describe('SES bounce and complaint events', () => {
  it('reads a hard bounce as bounced, for the recipient address in lower case', () => {
    const verdicts = mailVerdicts(sesMailEventSchema.parse(sesEvent('Permanent', 'Jane.Doe@Example.COM')));

    expect(verdicts).toEqual([
      {
        email: 'jane.doe@example.com',
        action: 'bounced',
        at: '2026-03-10T12:05:00.000Z',
        reason: 'Permanent bounce (General)',
        reference: '0102018e1f6a7b3c-permanent-000000',
      },
    ]);
  });

  it('reads a soft bounce as recorded only, and a complaint as complained', () => {
    const soft = mailVerdicts(sesMailEventSchema.parse(sesEvent('Transient', 'a@example.com')));
    const complaint = mailVerdicts(sesMailEventSchema.parse(sesEvent('Complaint', 'a@example.com')));

    expect(soft.map((verdict) => verdict.action)).toEqual(['soft_bounced']);
    expect(complaint).toEqual([
      expect.objectContaining({ action: 'complained', reason: 'complaint (abuse)' }),
    ]);
  });

  it('refuses other SES events and other sources', () => {
    const delivery = {
      ...sesEvent('Permanent', 'a@example.com'),
      detail: { eventType: 'Delivery', mail: {} },
    };
    const other = { ...sesEvent('Permanent', 'a@example.com'), source: 'aws.s3' };

    expect(sesMailEventSchema.safeParse(delivery).success).toBe(false);
    expect(sesMailEventSchema.safeParse(other).success).toBe(false);
  });

  it('takes the address out of a display-name form', () => {
    expect(normaliseAddress('"Doe, Jane" <Jane@Example.com> ')).toBe('jane@example.com');
  });
});
