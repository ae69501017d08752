import type { TemplateSource } from './types.ts';

/** Templates held in memory, keyed `language` -> `name` (e.g. `en` -> `reminder.html`). */
export const memoryTemplates = (
  byLanguage: Readonly<Record<string, Readonly<Record<string, string>>>>,
): TemplateSource => ({
  get: (language, name) => byLanguage[language]?.[name],
  languages: () => Object.keys(byLanguage),
});
