import type { AnswerKind, AnswerStatus } from './kinds.ts';
import type { FormField, FormProblemCode } from './rules.ts';
import { de } from './words/de.ts';
import { en } from './words/en.ts';
import { es } from './words/es.ts';
import { fr } from './words/fr.ts';
import { ja } from './words/ja.ts';

/**
 * What the answer pages and the confirmation email say, in each language the reminders speak. Whole
 * sentences with `{name}` placeholders, so a translator never assembles grammar from pieces.
 */
export interface Words {
  readonly title: string;
  readonly greeting: string;
  readonly intro: string;
  readonly invoice: string;
  /** The confirmation's label before several invoice numbers. */
  readonly invoices: string;
  readonly dueDate: string;
  readonly outstanding: string;
  readonly paidThanks: string;
  readonly payNow: string;
  readonly bankTransfer: string;
  readonly yourAnswer: string;
  readonly replaces: string;
  readonly said: Readonly<Record<AnswerKind, string>>;
  readonly status: Readonly<Record<AnswerStatus, string>>;
  readonly forms: Readonly<Record<AnswerKind, { readonly title: string; readonly help: string }>>;
  readonly allInvoices: string;
  readonly paidOn: string;
  readonly reference: string;
  readonly payBy: string;
  readonly reason: string;
  readonly planMessage: string;
  readonly send: string;
  readonly optional: string;
  readonly confirmedTitle: string;
  readonly confirmed: Readonly<Record<AnswerKind, string>>;
  readonly emailSent: string;
  readonly back: string;
  readonly nothingOpen: string;
  readonly invalidTitle: string;
  readonly invalid: string;
  readonly checkTitle: string;
  readonly fields: Readonly<Record<FormField, string>>;
  readonly problems: Readonly<Record<FormProblemCode | 'settled', string>>;
  readonly tooLargeTitle: string;
  readonly tooLarge: string;
  readonly limitTitle: string;
  readonly limit: string;
  /** A POST whose store or key could not be reached: the answer is not in effect, try again. */
  readonly notRecordedTitle: string;
  readonly notRecorded: string;
  /** A GET whose store or key could not be reached. */
  readonly unavailableTitle: string;
  readonly unavailable: string;
  readonly emailSubject: string;
  readonly emailThanks: string;
  readonly emailChange: string;
  readonly questions: string;
}

export const WORDS: Readonly<Record<string, Words>> = { en, de, fr, es, ja };

/** The words for a BCP 47 locale's language, English when the language has none. */
export const wordsFor = (locale: string): { readonly language: string; readonly words: Words } => {
  let language = 'en';
  try {
    language = new Intl.Locale(locale).language;
  } catch {
    // An unparseable tag reads in English, like the reminders.
  }
  const words = WORDS[language];
  return words ? { language, words } : { language: 'en', words: en };
};

/** Fills `{name}` placeholders; a missing value leaves the placeholder visible rather than blank. */
export const fill = (sentence: string, values: Readonly<Record<string, string | number>>): string =>
  sentence.replace(/\{(\w+)\}/g, (whole, key: string) =>
    values[key] !== undefined ? String(values[key]) : whole,
  );
