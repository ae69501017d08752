import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CsvError, parse } from 'csv-parse';
import { normalizeColumnName } from '../../domain/import/columns.ts';
import { UserInputError } from '../../errors.ts';
import type { ReadObserver, SourceRow } from './source-row.ts';

/**
 * Streams an RFC 4180 file (quoted commas, quotes and line breaks, CRLF or LF, UTF-8 BOM) as rows
 * keyed by the header's column names. Memory stays at one record whatever the file's size.
 */
export async function* readCsvRows(
  source: Readable,
  file: string,
  observer: ReadObserver = {},
): AsyncGenerator<SourceRow> {
  if (observer.bytes) source.on('data', (chunk) => observer.bytes?.(chunk as Buffer));
  const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: true });
  // Errors of either side surface through the parser, which is what we iterate.
  pipeline(source, parser).catch(() => undefined);
  let header: string[] | undefined;
  let row = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      row += 1;
      if (!header) {
        header = record.map(normalizeColumnName);
        observer.columns?.(header);
        continue;
      }
      if (record.every((cell) => cell.trim() === '')) continue;
      const values: Record<string, string> = {};
      header.forEach((column, index) => {
        const cell = record[index];
        if (cell !== undefined && !(column in values)) values[column] = cell;
      });
      const surplus = record.slice(header.length).some((cell) => cell.trim() !== '');
      yield surplus
        ? { row, values, unreadable: `has ${record.length} fields, the header has ${header.length}` }
        : { row, values };
    }
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines;
      throw new UserInputError(
        `${file}: not valid CSV${line ? ` near line ${line}` : ''}: ${error.message.replace(/^Invalid [^:]*: /, '')}`,
      );
    }
    throw error;
  }
}
