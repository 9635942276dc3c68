// The streaming XLSX reader must read every workbook exactly as SheetJS does: same columns,
// format, records, row numbers, problems and warnings. Each workbook here goes through both,
// over the same sheet-records core, and the streaming reader must not have fallen back.

import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import * as XLSX from 'xlsx';
import { describe, expect, it } from 'vitest';
import { workbookEntries } from '../../../../fixtures/workbook-writer.mjs';
import { zip } from '../../../../fixtures/zip-writer.mjs';
import { ByteSource } from '../../../../src/records/byte-source.js';
import { checkWorkbookZip } from '../../../../src/records/xlsx/zip/check-workbook-zip.js';
import type { ReadOptions } from '../../../../src/records/record-source.js';
import { readSheetRecords, type Sheet } from '../../../../src/records/xlsx/sheet-records.js';
import { openSheetJsSheet } from '../../../../src/records/xlsx/sheetjs-sheet.js';
import { spoolToFile } from '../../../../src/records/xlsx/zip/spool-file.js';
import { openStreamedSheet } from '../../../../src/records/xlsx/streamed-xlsx-sheet.js';
import { collect } from '../records-test-helpers.js';

const FIXTURES = path.resolve(import.meta.dirname, '../../../../fixtures/real-world');

async function readWith(open: (options: ReadOptions) => Promise<Sheet>, options: ReadOptions) {
  try {
    const source = await readSheetRecords(await open(options), options);
    const records = await collect(source.records);
    return { columns: source.columns, format: source.format, records, warnings: source.warnings() };
  } catch (error) {
    return { error: error instanceof Error ? `${error.constructor.name}: ${error.message}` : String(error) };
  }
}

async function bothReaders(bytes: Buffer, extra: Partial<ReadOptions> = {}) {
  const options: ReadOptions = { kind: 'xlsx', fileName: 'book.xlsx', ...extra };
  // Both behind the same archive checks, as readRecords puts them.
  const sheetjs = await readWith(async (o) => {
    await checkWorkbookZip(bytes, 'book.xlsx');
    return openSheetJsSheet(bytes, 'xlsx', o, () => bytes.length);
  }, options);
  const streamed = await readWith(async (o) => {
    const spool = await spoolToFile(new ByteSource(Readable.from([bytes]), 'book.xlsx'), 'book.xlsx');
    return openStreamedSheet(spool, await checkWorkbookZip(spool, 'book.xlsx'), o, () => bytes.length);
  }, options);
  return { sheetjs, streamed };
}

async function expectSame(bytes: Buffer, extra: Partial<ReadOptions> = {}) {
  const { sheetjs, streamed } = await bothReaders(bytes, extra);
  expect(streamed).toEqual(sheetjs);
  return sheetjs;
}

function sheetjsBook(sheets: Record<string, unknown[][]>, setup?: (book: XLSX.WorkBook) => void): Buffer {
  const book = XLSX.utils.book_new();
  for (const [name, rows] of Object.entries(sheets)) {
    XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet(rows, { cellDates: true }), name);
  }
  setup?.(book);
  return XLSX.write(book, { type: 'buffer', bookType: 'xlsx', compression: true }) as Buffer;
}

/** A hand-written sheet with numbers styled by every built-in format and some custom ones. */
function formatsBook(date1904 = false): Buffer {
  const ids = Array.from({ length: 82 }, (_, i) => i);
  const custom = ['0.000', 'yyyy-mm-dd hh:mm', '00000', '[$-409]mmmm d, yyyy', '0.0%', '#,##0.00 "kr"', '@', 'hh:mm:ss.000'];
  const numFmts = custom.map((code, i) => `<numFmt numFmtId="${164 + i}" formatCode="${code.replace(/"/g, '&quot;')}"/>`).join('');
  const xfs = [...ids, ...custom.map((_, i) => 164 + i)].map((id) => `<xf numFmtId="${id}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>`);
  const values = [0, 1, 59.5, 60, 60.5, 61, 45292.75, 45292.5208333, 0.5, -1.25, 1234567.891, 5551234567, 2134, 1e21, 123456789012345680000, 0.1 + 0.2, 1e-7, 36526.999999];
  const header = `<row r="1">${values.map((_, c) => `<c r="${XLSX.utils.encode_col(c)}1" t="inlineStr"><is><t>V${c}</t></is></c>`).join('')}</row>`;
  const rows = xfs
    .map((_, s) => {
      const r = s + 2;
      return `<row r="${r}">${values.map((v, c) => `<c r="${XLSX.utils.encode_col(c)}${r}" s="${s}"><v>${v}</v></c>`).join('')}</row>`;
    })
    .join('');
  const entries = workbookEntries({ rows: header + rows, strings: [] });
  return zip(
    entries.map((entry) => {
      if (entry.name === 'xl/styles.xml') {
        return { name: entry.name, data: `<?xml version="1.0"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="${custom.length}">${numFmts}</numFmts><cellXfs count="${xfs.length}">${xfs.join('')}</cellXfs></styleSheet>` };
      }
      if (entry.name === 'xl/workbook.xml' && date1904) {
        return { name: entry.name, data: (entry.data as string).replace('<sheets>', '<workbookPr date1904="1"/><sheets>') };
      }
      return entry;
    }),
  );
}

describe('the streaming XLSX reader and SheetJS agree', () => {
  const fixtures = fs.readdirSync(FIXTURES).filter((name) => name.endsWith('.xlsx') && !name.startsWith('csv-'));
  it.each(fixtures)('on fixtures/real-world/%s', async (name) => {
    await expectSame(fs.readFileSync(path.join(FIXTURES, name)));
  });

  it('on dates, times, percentages, large numbers, leading zeros, booleans and blanks', async () => {
    const rows = [
      ['Email', 'Phone', 'Zip', 'Birthday', 'Meeting', 'Time', 'Active', 'Score', 'Big', 'Empty', 'Note'],
      ['ann@example.com', 5551234567, '02134', new Date(1990, 4, 17), new Date(2024, 0, 2, 13, 45, 30), new Date(1899, 11, 30, 8, 30), true, 3.25, 123456789012345680000, null, '  padded  '],
      [],
      ['bob@example.com', 15551234567, '00501', new Date(1900, 0, 1), new Date(2024, 11, 31), new Date(1899, 11, 30, 23, 59, 59), false, 0.5, -1e-10, '', 'Ünïcødé 名前 😀'],
      [null, null, null, null, null, null, null, null, null, null, null, 'far right'],
    ];
    const result = await expectSame(sheetjsBook({ People: rows }, (book) => {
      const sheet = book.Sheets.People!;
      sheet['H2']!.z = '0.00%';
      sheet['I2']!.z = '#,##0';
      sheet['H4']!.z = '0.0';
    }));
    expect(result.records?.length).toBe(3);
  });

  it('on every built-in number format and custom ones, in both date systems', async () => {
    await expectSame(formatsBook());
    await expectSame(formatsBook(true));
  });

  it('on several sheets, chosen by name, number or an earlier format, and hidden sheets', async () => {
    const bytes = sheetjsBook(
      { Cover: [['Notes only']], Leads: [['Email', 'Name'], ['a@b.c', 'A']], Secret: [['Email'], ['s@b.c']] },
      (book) => {
        book.Workbook = { Sheets: [{ Hidden: 1 }, { Hidden: 0 }, { Hidden: 2 }] };
      },
    );
    for (const sheet of [undefined, 'Leads', '2', '3', 'Secret', 'Missing', '9']) await expectSame(bytes, { sheet });
    await expectSame(bytes, { format: { type: 'xlsx', encoding: 'binary', sheet: 'Secret' } });
  });

  it('on title blocks, header rows asked for, sparse rows and error cells', async () => {
    const rows = [
      ['Contacts export'],
      ['Generated 2024-01-01'],
      [],
      [null, 'Email', 'Name', 'Phone'],
      [null, 'a@b.c', 'A', 1],
      [null, 'b@c.d', null, null, null, 'wide'],
      [],
      [],
      [null, null, 'C'],
    ];
    const bytes = sheetjsBook({ S: rows }, (book) => {
      book.Sheets.S!['D5'] = { t: 'e', v: 0x07 };
      book.Sheets.S!['!ref'] = 'A1:F9';
    });
    for (const headerRow of [undefined, 1, 3, 4, 6, 20]) await expectSame(bytes, { headerRow });
    await expectSame(bytes, { format: { type: 'xlsx', encoding: 'binary', sheet: 'S' } });
    await expectSame(bytes, { maxRows: 1 });
  });

  it('on hand-written XML: inline and rich strings, formulas, escapes, rows without numbers', async () => {
    const strings = ['Email', 'Name', 'Notes'];
    const rich = '<si><r><rPr><b/></rPr><t>Bold</t></r><r><t xml:space="preserve"> and plain</t></r><rPh sb="0" eb="1"><t>ボ</t></rPh></si>';
    const rows =
      '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>' +
      '<row r="3" spans="1:3" hidden="1"><c r="A3" t="inlineStr"><is><t>a@b.c</t></is></c><c r="B3" t="s"><v>3</v></c>' +
      '<c r="C3" t="str"><f>A1&amp;"x"</f><v>line1&#13;\nline2 &amp;lt;tag&amp;gt; _x0041_</v></c></row>' +
      '<row><c t="inlineStr"><is><r><t>In</t></r><r><t>line</t></r></is></c><c t="b"><v>1</v></c><c t="e"><v>#DIV/0!</v></c></row>' +
      '<row><c r="A5" t="n"><v>42</v></c><c r="B5"><f>1/0</f></c><c r="C5" t="b"/><c r="D5" s="1"><v>45292</v></c></row>' +
      '<x:row r="7" xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:c r="A7" t="s"><x:v>4</x:v></x:c><x:c r="B7" t="s"><x:v>5</x:v></x:c></x:row>';
    const entries = workbookEntries({ rows, strings: [...strings, 'placeholder', 'Zoë &lt;z@x.y&gt;', 'A_x000D__x000A_B'] });
    const sst = entries.find((entry) => entry.name === 'xl/sharedStrings.xml')!;
    sst.data = (sst.data as string).replace('<si><t xml:space="preserve">placeholder</t></si>', rich);
    const result = await expectSame(zip(entries));
    expect(result.records?.length).toBe(4);
  });

  it('on workbooks SheetJS itself writes with shared strings and styles', async () => {
    const rows = Array.from({ length: 300 }, (_, i) => [`user${i}@example.com`, `Nom ${i} 名`, `0${i}`, new Date(2000, 0, 1 + i), i * 1.5]);
    const book = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet([['Email', 'Name', 'Code', 'Since', 'Score'], ...rows], { cellDates: true }), 'Big');
    const bytes = XLSX.write(book, { type: 'buffer', bookType: 'xlsx', bookSST: true, compression: true }) as Buffer;
    await expectSame(bytes);
  });
});
