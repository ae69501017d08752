/** The languages the customer-facing pages (opt-out, answers) are written in, as the reminders are. */
export const PAGE_LANGUAGES = ['en', 'de', 'fr', 'es', 'ja'] as const;
export type PageLanguage = (typeof PAGE_LANGUAGES)[number];

/** The page language for a customer's locale (`de-AT` -> `de`), English when the pages lack theirs. */
export const pageLanguage = (locale: string | null | undefined): PageLanguage => {
  try {
    const language = new Intl.Locale(locale ?? '').language;
    return (PAGE_LANGUAGES as readonly string[]).includes(language) ? (language as PageLanguage) : 'en';
  } catch {
    return 'en';
  }
};
