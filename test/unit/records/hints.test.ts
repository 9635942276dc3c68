// Hints from records/ name library options (headerRow, sheet, delimiter, encoding), never
// command-line flags; the CLI renders them as its flags.

import * as XLSX from 'xlsx';
import { describe, expect, it } from 'vitest';
import { cliHints } from '../../../src/cli/ui/cli-hints.js';
import type { ImportError } from '../../../src/errors.js';
import { caught, readAll } from './records-test-helpers.js';

function book(): Buffer {
  const workbook = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(workbook, XLSX.utils.aoa_to_sheet([['Email'], ['a@b.c']]), 'People');
  XLSX.utils.book_append_sheet(workbook, XLSX.utils.aoa_to_sheet([]), 'Empty');
  return XLSX.write(workbook, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
}

const failure = async (read: () => Promise<unknown>): Promise<ImportError> => (await caught(read)) as ImportError;

describe('records hints', () => {
  it('name the option, and the CLI renders it as its flag', async () => {
    const cases: Array<[ImportError, string, RegExp]> = [
      [await failure(() => readAll('a\nb\n', { headerRow: 0 })), 'headerRow', /^set --header-row to the 1-based line/],
      [await failure(() => readAll('a\n\nb\n', { headerRow: 2 })), 'headerRow', /^set --header-row to the line number of the column names \(e\.g\. 3\)$/],
      [await failure(() => readAll('a\nb\n', { delimiter: 'ab' })), 'delimiter', /^set --delimiter to one character/],
      [await failure(() => readAll('a\nb\n', { encoding: 'klingon' })), 'encoding', /^set --encoding to one such as utf-8/],
      [await failure(() => readAll(book(), { kind: 'xlsx', fileName: 'b.xlsx', sheet: 'Nope' })), 'sheet', /^set --sheet to one of its sheets, by name or number \(1-2\): "People", "Empty"$/],
      [await failure(() => readAll(book(), { kind: 'xlsx', fileName: 'b.xlsx', sheet: '2' })), 'sheet', /^put the column names in the first row, or set --sheet to choose another one$/],
    ];
    for (const [error, option, rendered] of cases) {
      expect(error.options).toEqual([option]);
      expect(error.hint).not.toMatch(/--/);
      expect(error.hintFor(cliHints)).toMatch(rendered);
    }
  });

  it('word too many columns with the delimiter option', async () => {
    const error = await failure(() => readAll(`${Array.from({ length: 20_000 }, (_, i) => `c${i}`).join(',')}\n`));
    expect(error.code).toBe('TOO_LARGE');
    expect(error.options).toEqual(['delimiter']);
    expect(error.hintFor(cliHints)).toBe('remove unused columns, or set --delimiter if the columns were split on the wrong character');
  });
});
