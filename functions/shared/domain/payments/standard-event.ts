import * as z from '../../validation.ts';
import { shortReason } from './body-reason.ts';
import { InvalidWebhookBodyError, type PaymentEvent } from './event.ts';

/** The body any provider signing with Standard Webhooks sends (docs/webhooks.md). */
const standardBody = z.object({
  type: z.enum(['payment.succeeded', 'payment.refunded']),
  data: z.object({
    invoiceId: z.string().check(z.minLength(1), z.maxLength(200)),
    paymentId: z.string().check(z.minLength(1), z.maxLength(200)),
    // A safe integer (zod's int), so it is exact in JavaScript and in a DynamoDB number.
    amount: z.number().check(z.int(), z.positive()),
    currency: z.string().check(z.regex(/^[A-Za-z]{3}$/, 'expected an ISO 4217 code')),
    occurredAt: z.iso.datetime({ offset: true }),
  }),
});

/**
 * The event id is the `webhook-id` header: the signature covers it, and a redelivery repeats it. A
 * payment's `paymentId` names its money (two messages reporting it count once); a refund's names the
 * payment it refunds, and the refund itself is keyed by its event, so two refunds of one payment add.
 */
export const paymentFromStandardEvent = (webhookId: string, body: unknown): PaymentEvent => {
  const result = standardBody.safeParse(body);
  if (!result.success) throw new InvalidWebhookBodyError(shortReason(result.error));
  const { type, data } = result.data;
  return {
    eventId: `standard:${webhookId}`,
    provider: 'standard',
    type,
    invoiceId: data.invoiceId,
    kind: type === 'payment.succeeded' ? 'payment' : 'refund',
    amount: data.amount,
    currency: data.currency.toUpperCase(),
    occurredAt: new Date(data.occurredAt).toISOString(),
    refs: [`standard:${data.paymentId}`],
    providerPaymentId: data.paymentId,
  };
};
