import { getCountry, getCountryForTimezone } from 'countries-and-timezones';
import emailAddresses from 'email-addresses';
import { isIsoDate } from '../calendar.ts';
import { currencyInfo } from '../money.ts';
import { type Ctx, fail, hasControlCharacter, remembered } from './cell-parsing.ts';
import { MAX_EMAIL_LENGTH, MAX_ID_BYTES, MAX_URL_LENGTH, utf8Bytes } from './store-limits.ts';

export type CustomerType = 'business' | 'consumer';

// Each check reads one trimmed, non-empty cell: its value as the row keeps it, or its problem.

export const identifier = (text: string, ctx: Ctx): string => {
  if (text.length > 200) return fail(ctx, 'longer than 200 characters');
  if (hasControlCharacter(text)) return fail(ctx, 'contains a line break or control character');
  // 200 characters of 4-byte UTF-8 fit; this names the store's own limit should that bound grow.
  const bytes = utf8Bytes(text);
  if (bytes > MAX_ID_BYTES)
    return fail(
      ctx,
      `${bytes} bytes in UTF-8, over the ${MAX_ID_BYTES} an id may take in a store key (1024-byte sort key)`,
    );
  return text;
};

export const name = (text: string, ctx: Ctx): string => {
  if (text.length > 300) return fail(ctx, 'longer than 300 characters');
  if (hasControlCharacter(text)) return fail(ctx, 'contains a line break or control character');
  return text;
};

const mailboxAddress = remembered((text: string): string | undefined => {
  const parsed = emailAddresses.parseOneAddress({ input: text, rfc6532: true, rejectTLD: true });
  return parsed?.type === 'mailbox' ? parsed.address : undefined;
});

export const email = (text: string, ctx: Ctx): string => {
  // Checked first: a parser handed 2,000 characters is slow, and such an address cannot be delivered.
  if (text.length > MAX_EMAIL_LENGTH)
    return fail(ctx, `longer than ${MAX_EMAIL_LENGTH} characters, the most an address may have (RFC 5321)`);
  return mailboxAddress(text) ?? fail(ctx, 'not an RFC 5322 email address');
};

export const currency = (text: string, ctx: Ctx): string => {
  const code = text.toUpperCase();
  if (!currencyInfo(code)) return fail(ctx, 'unknown ISO 4217 currency code');
  return code;
};

const DECIMAL = /^\d+(\.\d+)?$/;
/** Syntax only; the currency's precision is checked once the currency itself is known to be good. */
export const amount = (text: string, ctx: Ctx): string => {
  if (text.startsWith('-')) return fail(ctx, 'amount must not be negative');
  if (!DECIMAL.test(text)) {
    return fail(ctx, 'expected a decimal amount such as "1234.50" (digits, optional point, no separators)');
  }
  return text;
};

const ISO_DATE_SHAPE = /^\d{4}-\d{2}-\d{2}$/;
const isCalendarDate = remembered(isIsoDate);
export const date = (text: string, ctx: Ctx): string => {
  if (!ISO_DATE_SHAPE.test(text)) return fail(ctx, 'expected an ISO date such as "2026-03-31"');
  if (!isCalendarDate(text)) return fail(ctx, 'impossible date: no such day in the calendar');
  return text;
};

const canonicalLocale = remembered((text: string): string | undefined => {
  try {
    return Intl.getCanonicalLocales(text)[0];
  } catch {
    // RangeError: not a well-formed BCP 47 tag.
    return undefined;
  }
});

export const locale = (text: string, ctx: Ctx): string =>
  canonicalLocale(text) ?? fail(ctx, 'not a valid BCP 47 language tag such as "en-GB"');

// Offsets such as "+05:00" are not zones: they know nothing of daylight saving.
const IANA_SHAPE = /^[A-Za-z][A-Za-z0-9_+\-/]*$/;
export const isIanaZone = remembered((zone: string): boolean => {
  if (!IANA_SHAPE.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
});

export const timeZone = (text: string, ctx: Ctx): string =>
  isIanaZone(text) ? text : fail(ctx, 'unknown IANA time zone (expected e.g. "Europe/Berlin")');

export const address = (text: string, ctx: Ctx): string => {
  // Lines may arrive as real line breaks (quoted CSV) or as the two characters \n.
  const lines = text.replace(/\r\n?/g, '\n').replace(/\\n/g, '\n');
  if (lines.length > 1000) return fail(ctx, 'longer than 1000 characters');
  return lines;
};

export const country = (text: string, ctx: Ctx): string => {
  const code = text.toUpperCase();
  if (!/^[A-Z]{2}$/.test(code) || !getCountry(code))
    return fail(ctx, 'not an ISO 3166-1 alpha-2 country code such as "DE"');
  return code;
};

/** The country a zone names (`Europe/Rome` -> `IT`); none for `UTC`, `Etc/GMT+5` and the like. */
export const countryOfZone = remembered(
  (zone: string): string | undefined => getCountryForTimezone(zone)?.id,
);

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The link a customer pays through: https (plain http only to this machine, for a local stack). */
export const paymentUrl = (text: string, ctx: Ctx): string => {
  if (text.length > MAX_URL_LENGTH) return fail(ctx, `longer than ${MAX_URL_LENGTH} characters`);
  if (hasControlCharacter(text)) return fail(ctx, 'contains a line break or control character');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return fail(ctx, 'expected an https URL such as "https://pay.example.com/INV-1"');
  }
  if (url.protocol === 'https:') return text;
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) return text;
  return fail(
    ctx,
    url.protocol === 'http:'
      ? 'plain http is only allowed for localhost; customers pay through https'
      : 'expected an https URL such as "https://pay.example.com/INV-1"',
  );
};

const CUSTOMER_TYPES: readonly string[] = ['business', 'consumer'];
export const customerType = (text: string, ctx: Ctx): CustomerType => {
  const type = text.toLowerCase();
  return CUSTOMER_TYPES.includes(type)
    ? (type as CustomerType)
    : fail(ctx, 'expected "business" or "consumer"');
};
