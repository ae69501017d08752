import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CsvError, parse } from 'csv-parse';
import type { ReadObserver, SourceRow } from '../../domain/import/source-row.ts';
import { UserInputError } from '../../errors.ts';

export interface CsvOptions {
  /** Finds the header among the first records (a report's title rows come before it); default the first. */
  readonly isHeader?: (cells: readonly string[]) => boolean;
}

/** How many records may come before the header a report's `isHeader` looks for. */
const MAX_TITLE_ROWS = 20;

/**
 * CRLF becomes LF before parsing: csv-parse counts the CR of a CRLF inside a quoted field as a line
 * of its own, which would put every later row number off by one. A CR at a chunk's end waits.
 */
async function* lineFeeds(text: AsyncIterable<string>): AsyncGenerator<string> {
  let held = '';
  for await (const chunk of text) {
    const joined = held + chunk;
    held = joined.endsWith('\r') ? '\r' : '';
    const body = held ? joined.slice(0, -1) : joined;
    if (body) yield body.replace(/\r\n/g, '\n');
  }
  if (held) yield held;
}

const DELIMITERS = [',', ';', '\t'] as const;

/**
 * The field delimiter, from the header line: a comma, or the semicolon a spreadsheet writes where
 * the comma is the decimal separator, or a tab. Quoted text is not counted.
 */
export const sniffDelimiter = (start: string): string => {
  const firstLine = start.replace(/"[^"]*"/g, '').split('\n')[0] ?? '';
  const counts = DELIMITERS.map((delimiter) => firstLine.split(delimiter).length - 1);
  const best = counts.indexOf(Math.max(...counts));
  return (counts[best] ?? 0) > 0 ? (DELIMITERS[best] as string) : ',';
};

/** The text with its first chunk pulled ahead, so the delimiter is known before parsing starts. */
const withDelimiter = async (text: AsyncIterable<string>) => {
  const chunks = lineFeeds(text)[Symbol.asyncIterator]();
  const first = await chunks.next();
  const head = first.done ? '' : first.value;
  async function* all(): AsyncGenerator<string> {
    if (head) yield head;
    for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value;
  }
  return { delimiter: sniffDelimiter(head.replace(/^\uFEFF/, '')), text: all() };
};

const countLineFeeds = (cells: readonly string[]) => {
  let count = 0;
  for (const cell of cells)
    for (let at = cell.indexOf('\n'); at !== -1; at = cell.indexOf('\n', at + 1)) count += 1;
  return count;
};

const REASONS: Record<string, string> = {
  INVALID_OPENING_QUOTE: 'a quote in the middle of an unquoted field (inside a field, write a quote as "")',
  CSV_INVALID_CLOSING_QUOTE: 'text right after the closing quote of a field',
  CSV_QUOTE_NOT_CLOSED: 'a quoted field is never closed',
};

const describeCsvError = (file: string, error: CsvError, header: readonly string[] | undefined) => {
  const details = error as CsvError & { lines?: number; column?: number | string };
  const column =
    typeof details.column === 'number' && header?.[details.column]
      ? `, column "${header[details.column]}"`
      : '';
  const reason =
    REASONS[error.code] ?? error.message.replace(/^Invalid [^:]*: /, '').replace(/ (on|at) field \d+/g, '');
  return new UserInputError(
    `${file}: not valid CSV${details.lines ? ` at line ${details.lines}` : ''}${column}: ${reason}`,
  );
};

/**
 * Streams an RFC 4180 text (quoted commas, quotes and line breaks, CRLF or LF) as rows keyed by the
 * header's column names as written (trimmed). Each row is numbered by the editor line it starts on,
 * with its record number beside it when the two differ. Memory stays at one record.
 */
export async function* readCsvRows(
  text: AsyncIterable<string>,
  file: string,
  observer: ReadObserver = {},
  options: CsvOptions = {},
): AsyncGenerator<SourceRow> {
  const source = await withDelimiter(text);
  const parser = parse({
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
    info: true,
    delimiter: source.delimiter,
  });
  // Errors of either side surface through the parser, which is what we iterate.
  pipeline(Readable.from(source.text), parser).catch(() => undefined);
  let header: string[] | undefined;
  let records = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: string[];
      info: { lines: number };
    }>) {
      records += 1;
      const line = info.lines - countLineFeeds(record);
      if (!header) {
        if (options.isHeader && !options.isHeader(record.map((cell) => cell.trim()))) {
          if (records >= MAX_TITLE_ROWS) break;
          continue;
        }
        header = record.map((cell) => cell.trim());
        records = 1;
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
      const place = { row: line, ...(records === line ? {} : { record: records }) };
      yield surplus
        ? { ...place, values, unreadable: `has ${record.length} fields, the header has ${header.length}` }
        : { ...place, values };
    }
    if (!header && options.isHeader)
      throw new UserInputError(`${file}: no header row found among its first ${MAX_TITLE_ROWS} rows`);
  } catch (error) {
    if (error instanceof CsvError) throw describeCsvError(file, error, header);
    throw error;
  }
}
