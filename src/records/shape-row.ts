// The CSV and spreadsheet readers share the rules that turn a physical row into a record
// aligned to the header, so both formats report ragged rows the same way.

import { ImportError } from '../errors.js';

/** More header columns than this is almost always a broken file, and too wide to map. */
export const MAX_COLUMNS = 1000;

export interface ShapedRow {
  values: string[];
  problems?: string[];
}

/**
 * Aligns fields to the header's width. Extra fields that are all blank are a trailing
 * delimiter and dropped silently; extra fields with data are cut (never shifted) and
 * reported, as are missing fields, which are padded with ''.
 */
export function shapeRow(fields: string[], width: number, problems: string[] = []): ShapedRow {
  let values = fields;
  if (fields.length > width) {
    const extraHasData = fields.slice(width).some((value) => value.trim() !== '');
    if (extraHasData) {
      problems.push(`row has ${fields.length} fields but the header has ${width}`);
    }
    values = fields.slice(0, width);
  } else if (fields.length < width) {
    problems.push(`row has ${fields.length} fields but the header has ${width}`);
    values = fields.concat(new Array<string>(width - fields.length).fill(''));
  }
  return problems.length > 0 ? { values, problems } : { values };
}

/** True when every value is empty or whitespace: such rows are skipped, not counted. */
export function isBlankRow(values: readonly string[]): boolean {
  return values.every((value) => value.trim() === '');
}

export function tooManyRows(file: string, maxRows: number, line: number): ImportError {
  return new ImportError('TOO_LARGE', `${file} has more than ${maxRows} rows`, {
    file,
    line,
    hint: 'raise MAX_ROWS_ALLOWED or split the file',
  });
}

export function tooManyColumns(file: string, count: number, line: number): ImportError {
  return new ImportError(
    'TOO_LARGE',
    `${file} has ${count} columns in its header; at most ${MAX_COLUMNS} are supported`,
    {
      file,
      line,
      hint: 'remove unused columns, or set delimiter if the columns were split on the wrong character',
      options: ['delimiter'],
    },
  );
}
