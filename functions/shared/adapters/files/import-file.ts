import { createReadStream } from 'node:fs';
import { readCsvRows } from './csv-rows.ts';
import { readJsonRows } from './json-rows.ts';
import type { ImportFormat, ReadObserver, SourceRow } from './source-row.ts';

export { detectFormat } from './detect-format.ts';
export type { ImportFormat, ReadObserver, SourceRow } from './source-row.ts';

/** Rows of an import file in file order, whichever format it is in; read it as often as needed. */
export const readImportRows = (
  file: string,
  format: ImportFormat,
  observer?: ReadObserver,
): AsyncGenerator<SourceRow> =>
  format === 'json'
    ? readJsonRows(createReadStream(file), file, observer)
    : readCsvRows(createReadStream(file), file, observer);
