import * as XLSX from 'xlsx';
import { describe, expect, it } from 'vitest';
import type { ImportError } from '../../../../src/errors.js';
import { caught, readAll, valuesOf } from '../records-test-helpers.js';

const REPORT = [
  'Contacts export',
  'Generated 2024-01-01,,',
  '',
  'Email,First Name,Last Name',
  'ann@example.com,Ann,Lee',
  'bob@example.com,Bob,Ray',
  '',
].join('\r\n');

describe('CSV header row', () => {
  it.each([undefined, 1, 3, 7])('skips a title block and says so (chunks of %s)', async (chunk) => {
    const result = await readAll(REPORT, {}, chunk);
    expect(result.columns).toEqual(['Email', 'First Name', 'Last Name']);
    expect(result.records).toEqual([
      { row: 1, line: 5, values: ['ann@example.com', 'Ann', 'Lee'] },
      { row: 2, line: 6, values: ['bob@example.com', 'Bob', 'Ray'] },
    ]);
    expect(result.format).toEqual({ type: 'csv', encoding: 'utf-8', delimiter: ',', headerRow: 4 });
    expect(result.warnings()).toEqual([
      'skipped 2 lines above the header row (line 4): "Contacts export", "Generated 2024-01-01"; pass --header-row N to choose the header row yourself',
    ]);
  });

  it('leaves an ordinary file alone', async () => {
    const result = await readAll('\n\nEmail,Name\na@b.c,Ann\n');
    expect(result.format).toEqual({ type: 'csv', encoding: 'utf-8', delimiter: ',' });
    expect(result.warnings()).toEqual([]);
  });

  it('takes the line given as headerRow', async () => {
    const asked = await readAll(REPORT, { headerRow: 4 });
    expect(asked.columns).toEqual(['Email', 'First Name', 'Last Name']);
    expect(asked.format.headerRow).toBe(4);

    const first = await readAll(REPORT, { headerRow: 1 });
    expect(first.columns).toEqual(['Contacts export']);
    expect(first.format.headerRow).toBe(1);
    expect(first.warnings()).toEqual([]);
  });

  it('counts a sep= line as line 1', async () => {
    const result = await readAll('sep=;\nReport;;\nEmail;Name;Phone\na@b.c;Ann;1\nb@c.d;Bob;2\n');
    expect(result.columns).toEqual(['Email', 'Name', 'Phone']);
    expect(result.format).toMatchObject({ delimiter: ';', headerRow: 3 });
  });

  it('refuses a headerRow that is blank, inside a value or past the end', async () => {
    const blank = (await caught(() => readAll(REPORT, { headerRow: 3 }))) as ImportError;
    expect(blank.code).toBe('USAGE');
    expect(blank.message).toBe('header row 3: line 3 is blank or inside a multi-line value; the next row starts at line 4 in contacts.csv');
    expect(blank.hintFor()).toBe('set headerRow to the line number of the column names (e.g. 4)');
    expect(blank.options).toEqual(['headerRow']);

    const inside = (await caught(() => readAll('Email,Notes\na@b.c,"one\ntwo"\nb@c.d,x\n', { headerRow: 3 }))) as ImportError;
    expect(inside.message).toMatch(/line 3 is blank or inside a multi-line value/);

    const past = (await caught(() => readAll(REPORT, { headerRow: 50 }))) as ImportError;
    expect(past.message).toBe('header row 50: there is no row at or after line 50 in contacts.csv');

    const zero = (await caught(() => readAll(REPORT, { headerRow: 0 }))) as ImportError;
    expect(zero.code).toBe('USAGE');
  });

  it('reuses the header row of an earlier format, and detects nothing when it has none', async () => {
    const again = await readAll(REPORT, { format: { type: 'csv', encoding: 'utf-8', delimiter: ',', headerRow: 4 } });
    expect(again.columns).toEqual(['Email', 'First Name', 'Last Name']);
    const plain = await readAll(REPORT, { format: { type: 'csv', encoding: 'utf-8', delimiter: ',' } });
    expect(plain.columns).toEqual(['Contacts export']);
  });
});

describe('spreadsheet header row', () => {
  function sheet(rows: unknown[][]): Buffer {
    const book = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet(rows), 'Report');
    return XLSX.write(book, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
  }
  const read = (bytes: Buffer, options: Record<string, unknown> = {}) =>
    readAll(bytes, { kind: 'xlsx', fileName: 'report.xlsx', ...options });
  const REPORT_SHEET = [['Contacts export'], [], ['Email', 'First Name', 'Phone'], ['ann@example.com', 'Ann', 5551234567], ['bob@example.com', 'Bob', null]];

  it('skips a title row without widening the table', async () => {
    const result = await read(sheet(REPORT_SHEET));
    expect(result.columns).toEqual(['Email', 'First Name', 'Phone']);
    expect(result.records[0]).toEqual({ row: 1, line: 4, values: ['ann@example.com', 'Ann', '5551234567'] });
    expect(result.format).toEqual({ type: 'xlsx', encoding: 'binary', sheet: 'Report', headerRow: 3 });
    expect(result.warnings()).toEqual([
      'skipped 1 row above the header row (row 3): "Contacts export"; pass --header-row N to choose the header row yourself',
    ]);

    // A note far to the right of the table, above it, does not become a column.
    const note = await read(sheet([[null, null, null, null, null, 'Contacts (confidential)'], ['Email', 'Name'], ['a@b.c', 'Ann'], ['b@c.d', 'Bob']]));
    expect(note.columns).toEqual(['Email', 'Name']);
  });

  it('takes the row given as headerRow, and refuses an empty one', async () => {
    const asked = await read(sheet(REPORT_SHEET), { headerRow: 1 });
    expect(asked.columns).toEqual(['Contacts export', 'Column 2', 'Column 3']);
    const blank = (await caught(() => read(sheet(REPORT_SHEET), { headerRow: 2 }))) as ImportError;
    expect(blank.code).toBe('USAGE');
    expect(blank.message).toMatch(/row 2 is blank .* next row starts at row 3/);
    const again = await read(sheet(REPORT_SHEET), { format: { type: 'xlsx', encoding: 'binary', sheet: 'Report', headerRow: 3 } });
    expect(valuesOf(again)).toHaveLength(2);
  });
});
