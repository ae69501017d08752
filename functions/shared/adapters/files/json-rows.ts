import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { normalizeColumnName } from '../../domain/import/columns.ts';
import { UserInputError } from '../../errors.ts';
import { JsonArraySplitter, JsonArraySyntaxError } from './json-array-splitter.ts';
import type { ReadObserver, SourceRow } from './source-row.ts';

/** JSON rows are numbered as a spreadsheet would number them: element 0 is row 2, under a header. */
const FIRST_ROW = 2;

const toRow = (text: string, index: number, file: string): SourceRow => {
  const row = index + FIRST_ROW;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UserInputError(
      `${file}: element ${index + 1} (row ${row}) is not valid JSON: ${(error as Error).message}`,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { row, values: {}, unreadable: 'expected an object with the import columns as keys' };
  }
  const values: Record<string, unknown> = {};
  for (const [key, cell] of Object.entries(value)) {
    const column = normalizeColumnName(key);
    if (!(column in values)) values[column] = cell;
  }
  return { row, values };
};

/** Streams a JSON array of objects element by element; keys are reported as the row's columns. */
export async function* readJsonRows(
  source: Readable,
  file: string,
  observer: ReadObserver = {},
): AsyncGenerator<SourceRow> {
  const splitter = new JsonArraySplitter();
  const decoder = new StringDecoder('utf8');
  let index = 0;
  try {
    for await (const chunk of source as AsyncIterable<Buffer | string>) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      observer.bytes?.(bytes);
      for (const text of splitter.push(decoder.write(bytes))) {
        const row = toRow(text, index, file);
        index += 1;
        observer.columns?.(Object.keys(row.values));
        yield row;
      }
    }
    splitter.push(decoder.end());
    splitter.end();
  } catch (error) {
    if (error instanceof JsonArraySyntaxError)
      throw new UserInputError(`${file}: not valid JSON: ${error.message}`);
    throw error;
  }
}
