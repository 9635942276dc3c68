import * as XLSX from 'xlsx';
import { describe, expect, it } from 'vitest';
import { ImportError } from '../../../../src/errors.js';
import { cellText, isoDate } from '../../../../src/records/xlsx/cells/cell-text.js';
import { caught, readAll, valuesOf } from '../records-test-helpers.js';

type Kind = 'xlsx' | 'xls';
const BOOK_TYPES: Record<Kind, XLSX.BookType> = { xlsx: 'xlsx', xls: 'biff8' };

function workbook(sheets: Record<string, unknown[][]>, kind: Kind): Buffer {
  const book = XLSX.utils.book_new();
  for (const [name, rows] of Object.entries(sheets)) {
    // aoa_to_sheet takes Dates as local wall-clock time, as a user typing them would.
    XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet(rows, { cellDates: true }), name);
  }
  return XLSX.write(book, { type: 'buffer', bookType: BOOK_TYPES[kind] }) as Buffer;
}

const CONTACTS = [
  ['Email', 'Phone', 'Zip', 'Birthday', 'Meeting', 'Active', 'Score'],
  ['ann@example.com', 5551234567, '02134', new Date(1990, 4, 17), new Date(2024, 0, 2, 13, 45, 30), true, 3.25],
  [],
  ['bob@example.com', 15551234567, '10001', new Date(2000, 0, 1), new Date(2024, 11, 31, 0, 0, 0), false, 0.5],
];

const read = (bytes: Buffer, kind: Kind, options: Record<string, unknown> = {}, chunk?: number) =>
  readAll(bytes, { kind, fileName: `contacts.${kind}`, ...options }, chunk);

describe.each(['xlsx', 'xls'] as const)('%s records', (kind) => {
  const bytes = workbook({ People: CONTACTS, Other: [['Name', 'Email'], ['Cy', 'cy@example.com']] }, kind);

  it('reads the first sheet by default, converting cells to text', async () => {
    const result = await read(bytes, kind, {}, 1000);
    expect(result.format).toEqual({ type: kind, encoding: 'binary', sheet: 'People' });
    expect(result.columns).toEqual(['Email', 'Phone', 'Zip', 'Birthday', 'Meeting', 'Active', 'Score']);
    expect(result.records).toEqual([
      {
        row: 1,
        line: 2,
        values: ['ann@example.com', '5551234567', '02134', '1990-05-17', '2024-01-02T13:45:30', 'TRUE', '3.25'],
      },
      {
        row: 2,
        line: 4,
        values: ['bob@example.com', '15551234567', '10001', '2000-01-01', '2024-12-31', 'FALSE', '0.5'],
      },
    ]);
    expect(result.bytesRead()).toBe(bytes.length);
  });

  it('chooses a sheet by name or by 1-based number', async () => {
    const byName = await read(bytes, kind, { sheet: 'Other' });
    expect(byName.format.sheet).toBe('Other');
    expect(byName.columns).toEqual(['Name', 'Email']);
    expect(valuesOf(byName)).toEqual([['Cy', 'cy@example.com']]);

    const byIndex = await read(bytes, kind, { sheet: '2' });
    expect(byIndex.format.sheet).toBe('Other');
    expect(byIndex.columns).toEqual(['Name', 'Email']);
  });

  it('reuses the sheet of an earlier format', async () => {
    const result = await read(bytes, kind, { format: { type: kind, encoding: 'binary', sheet: 'Other' } });
    expect(result.format.sheet).toBe('Other');
  });

  it('refuses an unknown sheet, listing the sheets', async () => {
    for (const sheet of ['Missing', '3', '0']) {
      const error = (await caught(() => read(bytes, kind, { sheet }))) as ImportError;
      expect(error).toBeInstanceOf(ImportError);
      expect(error.code).toBe('NOT_FOUND');
      expect(error.hint).toContain('"People"');
      expect(error.hint).toContain('"Other"');
    }
  });

  it('refuses a corrupt workbook as UNREADABLE_FILE', async () => {
    const truncated = bytes.subarray(0, Math.floor(bytes.length / 2));
    const error = (await caught(() => read(truncated, kind))) as ImportError;
    expect(error).toBeInstanceOf(ImportError);
    expect(error.code).toBe('UNREADABLE_FILE');
    expect(error.message).toContain(`could not be read as ${kind.toUpperCase()}`);
    expect(error.hint).toBeTruthy();
  });

  it('applies the CSV rules for ragged rows, blank rows, duplicate headers and maxRows', async () => {
    const sheet = [
      [],
      [null, 'Phone', 'Phone', '  ', 'Email'],
      [null, '1', '2', '', 'a@b.c'],
      [null, '   ', null, ''],
      [null, '3', null, null, 'b@c.d', 'extra'],
      [null, '5'],
    ];
    const book = workbook({ S: sheet }, kind);
    const result = await read(book, kind);
    // column A is empty throughout and is dropped; the value in F gets a column of its own
    expect(result.columns).toEqual(['Phone', 'Phone (2)', 'Column 3', 'Email', 'Column 5']);
    expect(result.records).toEqual([
      { row: 1, line: 3, values: ['1', '2', '', 'a@b.c', ''] },
      { row: 2, line: 5, values: ['3', '', '', 'b@c.d', 'extra'] },
      { row: 3, line: 6, values: ['5', '', '', '', ''] },
    ]);

    const error = (await caught(() => read(book, kind, { maxRows: 2 }))) as ImportError;
    expect(error.code).toBe('TOO_LARGE');
    expect(error.message).toBe(`contacts.${kind} has more than 2 rows`);
    expect(error.place.line).toBe(6);
  });

  it('reads error cells as empty, naming the cell and its column (not a row problem)', async () => {
    const book = XLSX.utils.book_new();
    const ws = XLSX.utils.aoa_to_sheet([
      ['Email', 'Total'],
      ['a@b.c', 1],
    ]);
    ws['B2'] = { t: 'e', v: 0x2a };
    XLSX.utils.book_append_sheet(book, ws, 'S');
    const bytes = XLSX.write(book, { type: 'buffer', bookType: BOOK_TYPES[kind] }) as Buffer;
    const result = await read(bytes, kind);
    expect(result.records).toEqual([
      { row: 1, line: 2, values: ['a@b.c', ''], cellErrors: [{ column: 1, message: 'cell B2 has the error #N/A' }] },
    ]);
  });

  it('accepts a header with no data rows, and refuses an empty sheet', async () => {
    const headerOnly = await read(workbook({ S: [['Email', 'Name']] }, kind), kind);
    expect(headerOnly.columns).toEqual(['Email', 'Name']);
    expect(headerOnly.records).toEqual([]);

    const error = (await caught(() => read(workbook({ S: [[]] }, kind), kind))) as ImportError;
    expect(error.code).toBe('EMPTY_FILE');
  });
});

describe('spreadsheet files', () => {
  it('refuses bytes that are not the expected kind of workbook', async () => {
    const error = (await caught(() => read(Buffer.from('email\na@b.c\n'), 'xlsx'))) as ImportError;
    expect(error.code).toBe('UNREADABLE_FILE');
  });

  it('refuses an empty file', async () => {
    const error = (await caught(() => read(Buffer.alloc(0), 'xls'))) as ImportError;
    expect(error.code).toBe('EMPTY_FILE');
  });
});

describe('cellText', () => {
  it('writes integers as plain digits, never with an exponent', () => {
    expect(cellText({ t: 'n', v: 5551234567, w: '5.55E+09' })).toBe('5551234567');
    expect(cellText({ t: 'n', v: 1e21, w: '1E+21' })).toBe('1000000000000000000000');
    expect(cellText({ t: 'n', v: -42 })).toBe('-42');
    expect(cellText({ t: 'n', v: 1234, w: '1,234' })).toBe('1234');
  });

  it('keeps zero-padded integer formatting such as zip codes', () => {
    expect(cellText({ t: 'n', v: 2134, w: '02134' })).toBe('02134');
  });

  it('uses the formatted text for other numbers', () => {
    expect(cellText({ t: 'n', v: 0.5, w: '50%' })).toBe('50%');
    expect(cellText({ t: 'n', v: 0.1 + 0.2 })).toBe(String(0.1 + 0.2));
  });

  it('handles strings, booleans, blanks and errors', () => {
    expect(cellText({ t: 's', v: ' 02134 ' })).toBe(' 02134 ');
    expect(cellText({ t: 'b', v: true })).toBe('TRUE');
    expect(cellText({ t: 'b', v: false })).toBe('FALSE');
    expect(cellText({ t: 'z' })).toBe('');
    expect(cellText(undefined)).toBe('');
    expect(cellText({ t: 'e', v: 7, w: '#DIV/0!' })).toBe('');
  });

  it('writes dates as ISO 8601', () => {
    expect(isoDate(new Date(Date.UTC(1990, 4, 17)))).toBe('1990-05-17');
    expect(isoDate(new Date(Date.UTC(2024, 0, 2, 13, 45, 0)))).toBe('2024-01-02T13:45:00');
    expect(isoDate(new Date(Date.UTC(2024, 0, 2, 0, 0, 0, 250)))).toBe('2024-01-02T00:00:00.250');
    expect(isoDate(new Date(Number.NaN))).toBe('');
  });
});
