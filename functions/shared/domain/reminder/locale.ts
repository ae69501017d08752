import { cachedBy } from '../intl-cache.ts';
import type { TemplateSource } from './types.ts';

/**
 * The reader's locale as Intl sees it. A tag Intl cannot parse would throw deep inside formatting, so
 * it becomes `en-US` (the import default) here, once.
 */
export const displayLocale = (locale: string): string => {
  try {
    return Intl.getCanonicalLocales(locale)[0] ?? 'en-US';
  } catch {
    return 'en-US';
  }
};

export const FALLBACK_LANGUAGE = 'en';

/**
 * The template language for a locale (`de-AT` -> `de`) when the source has that language's `template`,
 * else English, so one email never mixes two languages' frames.
 */
export const templateLanguage = (locale: string, templates: TemplateSource, template: string): string => {
  const language = new Intl.Locale(displayLocale(locale)).language;
  const available =
    templates.languages().includes(language) && templates.get(language, template) !== undefined;
  return available ? language : FALLBACK_LANGUAGE;
};

/**
 * The locale an email's dates and amounts follow: the customer's own when the email is in their
 * language, else the template language with the customer's region where Intl knows the pair
 * (`ar-EG` read in English -> `en-EG`), so one email never mixes two scripts.
 */
const negotiatedLocale = cachedBy((key) => {
  const [locale, language] = JSON.parse(key) as [string, string];
  const reader = new Intl.Locale(displayLocale(locale));
  if (reader.language === language) return reader.toString();
  const regional = reader.region ? `${language}-${reader.region}` : language;
  const [supported] = Intl.NumberFormat.supportedLocalesOf([regional]);
  // A region-less fallback language reads in its home formats.
  return supported && supported !== language ? supported : language === 'en' ? 'en-US' : language;
});

export const emailLocale = (locale: string, language: string): string =>
  negotiatedLocale(JSON.stringify([locale, language]));

/** A calendar date (ISO) in the reader's words: "March 12, 2026", "12. März 2026", "2026年3月12日". */
// A calendar date is not an instant: pinning both sides to UTC keeps the day from shifting.
const longDates = cachedBy(
  (locale) => new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }),
);
const percents = cachedBy(
  (locale) => new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 2 }),
);
const plurals = cachedBy((language) => new Intl.PluralRules(language));

export const formatDate = (isoDate: string, locale: string): string =>
  longDates(locale).format(new Date(`${isoDate}T00:00:00Z`));

/** A rate in basis points as a percentage in the reader's locale: 150 -> "1.5%" / "1,5 %". */
export const formatBasisPoints = (basisPoints: number, locale: string): string =>
  percents(locale).format(basisPoints / 10_000);

/** True when `count` takes the singular in `language` ("1 day", but "2 days"; Japanese never). */
export const isSingular = (count: number, language: string): boolean =>
  plurals(language).select(count) === 'one';

/** Text safe for a mail header: control characters and line breaks become spaces, runs collapse. */
export const singleLine = (text: string): string =>
  text
    .replace(/[\p{Cc}\u2028\u2029]+/gu, ' ')
    .replace(/\s{2,}/g, ' ')
    .trim();

/** An IBAN in groups of four, as printed on invoices and typed into banking apps. */
export const groupIban = (iban: string): string =>
  iban
    .replace(/\s+/g, '')
    .replace(/(.{4})/g, '$1 ')
    .trim();
