import { describe, expect, it } from 'vitest';
import { SignatureError, verifyStandardEvent, verifyStripeEvent } from '../../functions/payment/verify.ts';
import { InvalidWebhookBodyError } from '../../functions/shared/domain/payments/event.ts';
import {
  standardBody,
  standardHeaders,
  stripeEventBody,
  stripeHeaders,
  testSecrets,
} from '../support/payment-fixtures.ts';

/**
 * Guard: a webhook is taken only from its provider and only while fresh. Stripe's `Stripe-Signature`
 * and Standard Webhooks' `webhook-signature` are checked over the raw bytes with a 300-second
 * tolerance on their timestamp; a replay from outside it is refused, whatever its signature.
 */

const secrets = testSecrets();
const nowSeconds = () => Math.floor(Date.now() / 1000);

describe('Guard: the signature tolerance', () => {
  describe('Stripe-Signature', () => {
    const body = stripeEventBody('payment_intent.succeeded', { id: 'pi_1', object: 'payment_intent' });
    const verify = (timestamp: number, secret = secrets.stripe) =>
      verifyStripeEvent(
        Buffer.from(body),
        stripeHeaders(body, secret, timestamp)['stripe-signature'],
        secrets.stripe,
      );

    it('accepts an event signed 290 seconds ago', () => {
      expect(verify(nowSeconds() - 290)).toMatchObject({ type: 'payment_intent.succeeded' });
    });

    it('refuses an event signed 310 seconds ago', () => {
      expect(() => verify(nowSeconds() - 310)).toThrow(SignatureError);
    });

    it('accepts an event signed 290 seconds ahead and refuses one 310 seconds ahead (a clock or replay far in the future)', () => {
      expect(verify(nowSeconds() + 290)).toMatchObject({ type: 'payment_intent.succeeded' });
      expect(() => verify(nowSeconds() + 310)).toThrow(SignatureError);
    });

    it('takes the tolerance ahead to the second: 300 seconds ahead is accepted, 301 refused', () => {
      const now = nowSeconds();
      const at = (ahead: number) => {
        const header = stripeHeaders(body, secrets.stripe, now + ahead)['stripe-signature'];
        return () => verifyStripeEvent(Buffer.from(body), header, secrets.stripe, now);
      };

      expect(at(300)()).toMatchObject({ type: 'payment_intent.succeeded' });
      expect(at(301)).toThrow(new SignatureError('signature or timestamp not valid'));
    });

    it('refuses an event signed an hour ago with the right secret', () => {
      expect(() => verify(nowSeconds() - 3_600)).toThrow(SignatureError);
    });

    it('refuses a fresh event signed with another secret', () => {
      expect(() => verify(nowSeconds(), testSecrets().stripe)).toThrow(SignatureError);
    });

    it('refuses a fresh, rightly signed event whose body was altered', () => {
      const headers = stripeHeaders(body, secrets.stripe);
      const altered = Buffer.from(body.replace('pi_1', 'pi_2'));

      expect(() => verifyStripeEvent(altered, headers['stripe-signature'], secrets.stripe)).toThrow(
        SignatureError,
      );
    });
  });

  describe('webhook-signature (Standard Webhooks)', () => {
    const body = standardBody('payment.succeeded', { invoiceId: 'INV-1', amount: 100 });
    const verify = (at: Date, secret = secrets.payments) =>
      verifyStandardEvent(
        Buffer.from(body),
        standardHeaders(body, secret, { at, id: 'msg_1' }),
        secrets.payments,
      );
    const secondsFromNow = (seconds: number) => new Date(Date.now() + seconds * 1000);

    it('accepts an event signed 290 seconds ago or 290 seconds ahead', () => {
      expect(verify(secondsFromNow(-290)).webhookId).toBe('msg_1');
      expect(verify(secondsFromNow(290)).webhookId).toBe('msg_1');
    });

    it('refuses an event signed 310 seconds ago or 310 seconds ahead', () => {
      expect(() => verify(secondsFromNow(-310))).toThrow(SignatureError);
      expect(() => verify(secondsFromNow(310))).toThrow(SignatureError);
    });

    it('refuses a fresh event signed with another secret', () => {
      expect(() => verify(new Date(), testSecrets().payments)).toThrow(SignatureError);
    });
  });

  describe('what is refused before or after the signature', () => {
    it('refuses a request without Stripe-Signature as unsigned, naming the header', () => {
      const error = (() => {
        try {
          verifyStripeEvent(Buffer.from('{}'), undefined, secrets.stripe);
        } catch (caught) {
          return caught as Error;
        }
      })();

      expect(error).toBeInstanceOf(SignatureError);
      expect(error?.name).toBe('SignatureError');
      expect(error?.message).toBe('missing Stripe-Signature header');
    });

    it('refuses a Standard Webhooks request missing any one of its three headers', () => {
      const body = standardBody('payment.succeeded', { invoiceId: 'INV-1', amount: 100 });
      const headers = standardHeaders(body, secrets.payments);
      for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const) {
        const without = { ...headers, [name]: undefined };
        expect(() => verifyStandardEvent(Buffer.from(body), without, secrets.payments)).toThrow(
          'missing webhook-* headers',
        );
      }
    });

    it('takes a rightly signed body that is not JSON as a bad body (400), not a bad signature', () => {
      const notJson = 'type=payment.succeeded';
      const stripe = () =>
        verifyStripeEvent(
          Buffer.from(notJson),
          stripeHeaders(notJson, secrets.stripe)['stripe-signature'],
          secrets.stripe,
        );
      const standard = () =>
        verifyStandardEvent(
          Buffer.from(notJson),
          standardHeaders(notJson, secrets.payments),
          secrets.payments,
        );

      expect(stripe).toThrow(InvalidWebhookBodyError);
      expect(stripe).toThrow('body is not JSON');
      expect(standard).toThrow(InvalidWebhookBodyError);
      expect(standard).toThrow('body is not JSON');
    });

    it('bounds the webhook-id at 200 characters, the longest a store key takes here', () => {
      const body = standardBody('payment.succeeded', { invoiceId: 'INV-1', amount: 100 });
      const verify = (id: string) =>
        verifyStandardEvent(
          Buffer.from(body),
          standardHeaders(body, secrets.payments, { id }),
          secrets.payments,
        );

      expect(verify('m'.repeat(200)).webhookId).toHaveLength(200);
      expect(() => verify('m'.repeat(201))).toThrow(InvalidWebhookBodyError);
      expect(() => verify('m'.repeat(201))).toThrow('webhook-id: too long');
    });

    it('names a bad signature without quoting the header', () => {
      const body = standardBody('payment.succeeded', { invoiceId: 'INV-1', amount: 100 });
      const headers = standardHeaders(body, testSecrets().payments);

      expect(() => verifyStandardEvent(Buffer.from(body), headers, secrets.payments)).toThrow(
        new SignatureError('signature or timestamp not valid'),
      );
      expect(() =>
        verifyStripeEvent(
          Buffer.from(body),
          stripeHeaders(body, testSecrets().stripe)['stripe-signature'],
          secrets.stripe,
        ),
      ).toThrow(new SignatureError('signature or timestamp not valid'));
    });
  });
});
