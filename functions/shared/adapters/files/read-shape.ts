import { readFile } from 'node:fs/promises';
import { type ImportMapping, overlayMapping, parseMappingFile } from '../../domain/import/mapping.ts';
import { isProfileName, PROFILE_NAMES, PROFILES } from '../../domain/import/profiles.ts';
import { UserInputError } from '../../errors.ts';
import type { RowShape } from './shaped-rows.ts';

/** The mapping file named by `--map`, read and checked before the import file is opened. */
const readMappingFile = async (path: string): Promise<ImportMapping> => {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserInputError(`${path}: ${code === 'ENOENT' ? 'no such mapping file' : 'cannot be read'}`);
  }
  let document: unknown;
  try {
    document = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new UserInputError(`${path}: not valid JSON: ${(error as Error).message}`);
  }
  return parseMappingFile(document, path);
};

/**
 * How `--from` and `--map` shape the file: a profile, a mapping file, or a mapping file laid over a
 * profile (its columns, formats and defaults win), e.g. to give a QuickBooks report its currency.
 */
export const readShape = async (options: { from?: string; map?: string }): Promise<RowShape> => {
  const from = options.from?.trim().toLowerCase();
  if (from !== undefined && !isProfileName(from))
    throw new UserInputError(
      `--from "${options.from}" is not a known export; one of: ${PROFILE_NAMES.join(', ')}`,
    );
  const profile = from === undefined ? undefined : PROFILES[from];
  const file = options.map === undefined ? undefined : await readMappingFile(options.map);
  if (profile && file) return { profile, mapping: overlayMapping(profile.mapping, file) };
  if (profile) return { profile, mapping: profile.mapping };
  return file ? { mapping: file } : {};
};
