import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Mustache from 'mustache';
import { describe, expect, it } from 'vitest';
import { repoTemplatesDir } from '../../functions/shared/adapters/templates/file-templates.ts';

/**
 * Every language says the same things: each template of each language uses the same sections
 * (the cases a sentence depends on), values and partials as the English one, so no case is left
 * untranslated and no language states a fact the others leave out. Plural switches (`...One`) are
 * the exception a language without plural forms (Japanese) may leave out.
 */

const dir = repoTemplatesDir();
const languages = readdirSync(dir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

/** The collections desk's own digest, written for the operator in English only. */
const OPERATOR_ONLY = /^handoff/;

const filesOf = (language: string): string[] =>
  readdirSync(join(dir, language))
    .filter((file) => file.endsWith('.mustache') && !OPERATOR_ONLY.test(file))
    .sort();

type Token = [string, string, number, number, Token[]?];

const tagsOf = (template: string): Set<string> => {
  const tags = new Set<string>();
  const walk = (tokens: readonly Token[]) => {
    for (const [kind, value, , , children] of tokens) {
      if (kind === 'text' || kind === '!') continue;
      tags.add(`${kind === 'name' ? '' : kind}${value}`);
      if (children) walk(children);
    }
  };
  walk(Mustache.parse(template) as unknown as Token[]);
  return tags;
};

const isPluralSwitch = (tag: string) => /One$/.test(tag);

describe('Template languages', () => {
  const english = filesOf('en');

  it('has the five languages the product speaks', () => {
    expect(languages.sort()).toEqual(['de', 'en', 'es', 'fr', 'ja']);
  });

  it.each(languages.filter((language) => language !== 'en'))('%s has every English template', (language) => {
    expect(filesOf(language)).toEqual(english);
  });

  const cases = languages
    .filter((language) => language !== 'en')
    .flatMap((language) => english.map((file) => ({ language, file })));

  it.each(cases)('$language/$file uses the same cases and values as en/$file', ({ language, file }) => {
    const theirs = tagsOf(readFileSync(join(dir, language, file), 'utf8'));
    const ours = tagsOf(readFileSync(join(dir, 'en', file), 'utf8'));

    const missing = [...ours].filter((tag) => !theirs.has(tag) && !isPluralSwitch(tag));
    const extra = [...theirs].filter((tag) => !ours.has(tag));
    expect({ missing, extra }).toEqual({ missing: [], extra: [] });
  });

  it.each(english)('en/%s carries a translator note', (file) => {
    const template = readFileSync(join(dir, 'en', file), 'utf8');
    expect(template).toMatch(/\{\{! Translator's note: /);
  });
});
