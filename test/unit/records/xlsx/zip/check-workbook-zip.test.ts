import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { workbookEntries } from '../../../../../fixtures/workbook-writer.mjs';
import { deflateRun, zip, type ZipEntry } from '../../../../../fixtures/zip-writer.mjs';
import { ImportError } from '../../../../../src/errors.js';
import { checkWorkbookZip, ZIP_LIMITS } from '../../../../../src/records/xlsx/zip/check-workbook-zip.js';
import { caught, readAll, valuesOf } from '../../records-test-helpers.js';

const SHEET = 'xl/worksheets/sheet1.xml';
const ROWS =
  '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>' +
  '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" t="s"><v>3</v></c></row>';
const STRINGS = ['Email', 'First Name', 'ann@example.com', 'Ann'];

/** A valid workbook whose parts can be replaced. */
function book(replace: (entries: ZipEntry[]) => ZipEntry[] = (e) => e, sheet: Parameters<typeof workbookEntries>[0] = { rows: ROWS, strings: STRINGS }): Buffer {
  return zip(replace(workbookEntries(sheet)));
}
const withSheet = (entry: Omit<ZipEntry, 'name'>) => (entries: ZipEntry[]) =>
  entries.map((e) => (e.name === SHEET ? { name: SHEET, ...entry } : e));

async function refusal(bytes: Buffer): Promise<ImportError> {
  const error = await caught(() => checkWorkbookZip(bytes, 'book.xlsx'));
  expect(error).toBeInstanceOf(ImportError);
  return error as ImportError;
}

describe('checkWorkbookZip', () => {
  it('accepts a workbook, stored or deflated, and SheetJS then reads it', async () => {
    await checkWorkbookZip(book(), 'book.xlsx');
    const deflated = book((entries) =>
      entries.map((e) => ({ name: e.name, deflated: deflateRawSync(Buffer.from(e.data as string)), size: Buffer.byteLength(e.data as string) })),
    );
    await checkWorkbookZip(deflated, 'book.xlsx');
    const result = await readAll(deflated, { kind: 'xlsx', fileName: 'book.xlsx' });
    expect(valuesOf(result)).toEqual([['ann@example.com', 'Ann']]);
  });

  it('refuses a part that inflates more than 100-fold (a zip bomb)', async () => {
    const size = 4 * 1024 * 1024;
    const error = await refusal(book(withSheet({ deflated: deflateRun(0x20, size), size })));
    expect(error.code).toBe('UNREADABLE_FILE');
    expect(error.message).toMatch(/sheet1\.xml would inflate \d+-fold \(4 MiB\), which is what a zip bomb does/);
  });

  it('refuses a part that inflates to more than it declares', async () => {
    const size = 1000;
    const error = await refusal(book(withSheet({ deflated: deflateRun(0x20, 64 * 1024), size })));
    expect(error.message).toMatch(/inflates to more than the 1000 bytes it declares/);
  });

  it('refuses a part that inflates to less than it declares (SheetJS would read uninitialized memory)', async () => {
    const error = await refusal(book(withSheet({ deflated: deflateRun(0x20, 100), size: 200 })));
    expect(error.message).toMatch(/damaged/);
  });

  it('refuses huge declared sizes before inflating anything', async () => {
    const huge = await refusal(book(withSheet({ deflated: deflateRun(0x20, 10), size: ZIP_LIMITS.maxEntryUncompressed + 1 })));
    expect(huge.code).toBe('TOO_LARGE');
    expect(huge.message).toMatch(/more than can be read in memory/);

    // Each part within the ratio limit (never inflated: the declared total is already too much).
    const compressed = Buffer.alloc(5.5 * 1024 * 1024);
    const parts = Array.from({ length: 5 }, (_, i) => ({ name: `xl/media/image${i}.bin`, deflated: compressed, size: 500 * 1024 * 1024 }));
    const total = await refusal(book((entries) => [...entries, ...parts]));
    expect(total.code).toBe('TOO_LARGE');
    expect(total.message).toMatch(/add up to more than 2048 MiB/);
  });

  it('refuses too many parts', async () => {
    const parts = Array.from({ length: ZIP_LIMITS.maxEntries }, (_, i) => ({ name: `x/${i}`, data: '' }));
    const error = await refusal(book((entries) => [...entries, ...parts]));
    expect(error.code).toBe('TOO_LARGE');
    expect(error.message).toMatch(/has 10007 parts; at most 10000/);
  });

  it('refuses archives that are not workbooks, naming what they look like', async () => {
    const docx = zip([{ name: '[Content_Types].xml', data: '<Types/>' }, { name: 'word/document.xml', data: '<w:document/>' }]);
    const plain = zip([{ name: 'a.txt', data: 'hello' }]);
    const odt = zip([{ name: 'mimetype', data: 'application/vnd.oasis.opendocument.text' }, { name: 'content.xml', data: '<x/>' }]);
    expect((await refusal(docx)).message).toBe('book.xlsx is not a spreadsheet (looks like a Word document)');
    expect((await refusal(plain)).message).toBe('book.xlsx is not a spreadsheet (looks like a ZIP archive)');
    expect((await refusal(odt)).message).toMatch(/an OpenDocument file that is not a spreadsheet/);
    expect((await refusal(plain)).code).toBe('UNSUPPORTED_FILE');
    const ods = zip([{ name: 'mimetype', data: 'application/vnd.oasis.opendocument.spreadsheet' }, { name: 'content.xml', data: '<x/>' }]);
    await checkWorkbookZip(ods, 'book.ods');
  });

  it('refuses a DTD or entity declaration in any XML part, stored or deflated', async () => {
    const prolog = '<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>';
    const stored = await refusal(book(undefined, { rows: ROWS, strings: STRINGS, prolog }));
    expect(stored.message).toMatch(/sheet1\.xml declares a DTD or XML entities/);
    // Far into a large deflated part, across an inflate chunk boundary.
    const xml = `<?xml version="1.0"?>${' '.repeat(70_000)}<!ENTITY lol "lol"><worksheet/>`;
    const deep = await refusal(book(withSheet({ deflated: deflateRawSync(Buffer.from(xml)), size: xml.length })));
    expect(deep.message).toMatch(/declares a DTD/);
  });

  it('refuses truncated, damaged and encrypted archives clearly', async () => {
    const whole = book();
    for (const cut of [whole.length - 10, Math.floor(whole.length / 2), 30, 4]) {
      const error = await refusal(whole.subarray(0, cut));
      expect(error.code).toBe('UNREADABLE_FILE');
      expect(error.message).toMatch(/truncated or damaged/);
    }
    const encrypted = Buffer.from(whole);
    // Set the "encrypted" flag on the first central directory entry.
    const central = encrypted.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    encrypted.writeUInt16LE(encrypted.readUInt16LE(central + 8) | 1, central + 8);
    expect((await refusal(encrypted)).message).toMatch(/encrypted/);
  });

  it('is what readRecords applies to XLSX input', async () => {
    const error = (await caught(() =>
      readAll(book(withSheet({ deflated: deflateRun(0x20, 2 * 1024 * 1024), size: 2 * 1024 * 1024 })), { kind: 'xlsx', fileName: 'bomb.xlsx' }),
    )) as ImportError;
    expect(error.message).toMatch(/zip bomb/);
  });
});
