import type { ReadObserver, SourceRow } from '../../domain/import/source-row.ts';
import { UserInputError } from '../../errors.ts';
import { JsonArraySplitter, JsonArraySyntaxError } from './json-array-splitter.ts';

/** JSON rows are numbered as a spreadsheet would number them: element 0 is row 2, under a header. */
const FIRST_ROW = 2;

/**
 * The keys of a JSON object's own level, in order, repeats included: JSON.parse keeps only the last
 * of two equal keys, which would resolve `"amount_due"` given twice silently. The text is valid JSON
 * already (JSON.parse read it), so tracking strings and nesting is enough.
 */
export const topLevelKeys = (text: string): string[] => {
  const keys: string[] = [];
  let depth = 0;
  let expectKey = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (char === '"') {
      let end = index + 1;
      while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      if (depth === 1 && expectKey) keys.push(JSON.parse(text.slice(index, end + 1)) as string);
      expectKey = false;
      index = end;
    } else if (char === '{' || char === '[') {
      depth += 1;
      expectKey = depth === 1 && char === '{';
    } else if (char === '}' || char === ']') depth -= 1;
    else if (char === ',' && depth === 1) expectKey = true;
  }
  return keys;
};

const repeated = (keys: readonly string[]): string[] => {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const key of keys) (seen.has(key) ? twice : seen).add(key);
  return [...twice];
};

const toRow = (text: string, index: number, line: number, file: string): SourceRow => {
  const place = { row: index + FIRST_ROW, line };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UserInputError(
      `${file}: element ${index + 1} (line ${line}) is not valid JSON: ${(error as Error).message}`,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ...place, values: {}, unreadable: 'expected an object with the import columns as keys' };
  }
  const duplicates = repeated(topLevelKeys(text));
  return {
    ...place,
    values: value as Record<string, unknown>,
    ...(duplicates.length > 0 ? { duplicateColumns: duplicates } : {}),
  };
};

/** Streams a JSON array of objects element by element; keys are reported as the row's columns. */
export async function* readJsonRows(
  source: AsyncIterable<string>,
  file: string,
  observer: ReadObserver = {},
): AsyncGenerator<SourceRow> {
  const splitter = new JsonArraySplitter();
  let index = 0;
  try {
    for await (const text of source) {
      for (const element of splitter.push(text)) {
        const row = toRow(element.text, index, element.line, file);
        index += 1;
        observer.columns?.(Object.keys(row.values));
        yield row;
      }
    }
    splitter.end();
  } catch (error) {
    if (error instanceof JsonArraySyntaxError)
      throw new UserInputError(`${file}: not valid JSON: ${error.message}`);
    throw error;
  }
}
