import { createReadStream } from 'node:fs';
import { normalizeColumnName } from '../../domain/import/columns.ts';
import type { ImportSource } from '../../domain/import/ports.ts';
import type { ImportFormat, ReadObserver, ReadOptions, SourceRow } from '../../domain/import/source-row.ts';
import { readCsvRows } from './csv-rows.ts';
import { decodeImportText } from './decode.ts';
import { detectFormat } from './detect-format.ts';
import { readJsonRows } from './json-rows.ts';
import { shapeRows } from './shaped-rows.ts';

export type { ImportFormat, ReadObserver, ReadOptions, SourceRow } from '../../domain/import/source-row.ts';
export { detectFormat } from './detect-format.ts';
export type { RowShape } from './shaped-rows.ts';

/**
 * Rows of an import file in file order, whichever format it is in; read it as often as needed.
 * Layered: bytes -> text (decode.ts) -> records (CSV or JSON) -> import columns (shaped-rows.ts).
 */
export const readImportRows = (
  file: string,
  format: ImportFormat,
  observer: ReadObserver = {},
  options: ReadOptions = {},
): AsyncGenerator<SourceRow> =>
  readImportBytes(() => createReadStream(file), file, format, observer, options);

/** The same from any source of the file's bytes (tests hand it a buffer); `open` is called once. */
export const readImportBytes = (
  open: () => AsyncIterable<Buffer | string>,
  file: string,
  format: ImportFormat,
  observer: ReadObserver = {},
  options: ReadOptions = {},
): AsyncGenerator<SourceRow> => {
  const shape = options.shape ?? {};
  const headerHas = shape.profile?.report?.headerHas.map(normalizeColumnName);
  const isHeader = headerHas
    ? (cells: readonly string[]) =>
        headerHas.every((name) => cells.some((cell) => normalizeColumnName(cell) === name))
    : undefined;
  return shapeRows(
    (headerObserver) => {
      const text = decodeImportText(open(), file, {
        ...(options.encoding ? { encoding: options.encoding } : {}),
        ...(observer.bytes ? { onBytes: observer.bytes } : {}),
      });
      const { bytes: _counted, ...rest } = headerObserver;
      return format === 'json'
        ? readJsonRows(text, file, rest)
        : readCsvRows(text, file, rest, isHeader ? { isHeader } : {});
    },
    file,
    shape,
    observer,
  );
};

/** Import files on this machine's disk, as the import pipeline reads them. */
export const fileImportSource: ImportSource = { detectFormat, readRows: readImportRows };
