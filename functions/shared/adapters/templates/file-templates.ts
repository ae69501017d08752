import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TemplateSource } from '../../domain/reminder/types.ts';
import { ConfigError } from '../../errors.ts';

/**
 * The mustache templates under `templates/<language>/<name>.mustache`, read once (at cold start) into
 * memory. The Lambda bundle carries the folder and names it in DUNNING_TEMPLATES_DIR; the CLI and the
 * tests use the repo's own folder, found from this module's place in the tree.
 */

const SUFFIX = '.mustache';

/** The repo's `templates/` folder, four levels above this file. */
export const repoTemplatesDir = (): string =>
  fileURLToPath(new URL('../../../../templates/', import.meta.url));

export const loadTemplates = (dir: string = repoTemplatesDir()): TemplateSource => {
  let languages: string[];
  try {
    languages = readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
  } catch (error) {
    throw new ConfigError(`Cannot read the reminder templates in ${dir}: ${(error as Error).message}`);
  }
  const byLanguage = new Map<string, ReadonlyMap<string, string>>(
    languages.map((language) => {
      const files = readdirSync(join(dir, language)).filter((file) => file.endsWith(SUFFIX));
      return [
        language,
        new Map(
          files.map((file) => [
            file.slice(0, -SUFFIX.length),
            readFileSync(join(dir, language, file), 'utf8'),
          ]),
        ),
      ];
    }),
  );
  return {
    get: (language, name) => byLanguage.get(language)?.get(name),
    languages: () => [...byLanguage.keys()],
  };
};
