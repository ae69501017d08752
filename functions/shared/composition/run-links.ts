import { answerLinkUrl, linkExpiry, signAnswerLink } from '../domain/answers/link-token.ts';
import { optOutLink } from '../domain/customer-care/opt-out-token.ts';
import type { Customer } from '../domain/model.ts';
import { pageLanguage } from '../domain/page-language.ts';
import type { Policy } from '../domain/policy.ts';
import type { Clock } from '../domain/ports.ts';

/**
 * The one-click opt-out link for a customer (List-Unsubscribe and the email's footer), signed when it
 * can be. It names the page's language when that is not English, so the page speaks the customer's.
 */
export const optOutUrl = (
  publicUrl: string,
  customer: Pick<Customer, 'customerId'> & Partial<Pick<Customer, 'locale'>>,
  secret?: string,
): string => {
  const language = pageLanguage(customer.locale);
  const spoken = language === 'en' ? undefined : language;
  return secret
    ? optOutLink(publicUrl, secret, customer.customerId, spoken)
    : `${publicUrl.replace(/\/+$/, '')}/optout?customer=${encodeURIComponent(customer.customerId)}${spoken ? `&lang=${spoken}` : ''}`;
};

const DAY_MS = 86_400_000;
const endOfUtcDay = (instant: Date): Date => new Date((Math.floor(instant.getTime() / DAY_MS) + 1) * DAY_MS);

/** The answer link of one reminder: signed for the customer and that email's invoices, expiring per policy. */
export const answerUrlFor =
  (
    settings: {
      readonly answerLinkSecret?: string;
      readonly respondUrl?: string;
      readonly publicUrl: string;
    },
    policy: Policy,
    clock: Clock,
  ) =>
  (customer: Pick<Customer, 'customerId' | 'locale'>, invoiceIds: readonly string[]): string => {
    const key = settings.answerLinkSecret as string;
    const token = signAnswerLink(key, {
      customerId: customer.customerId,
      invoiceIds,
      // Counted from the end of the sending day (UTC): every rendering of one day's email, the one
      // `dunning preview` shows included, carries the very same link.
      expiresAt: linkExpiry(endOfUtcDay(clock()), policy.answers.linkExpiryDays),
      locale: customer.locale,
    });
    return answerLinkUrl(settings.respondUrl ?? settings.publicUrl, token);
  };
