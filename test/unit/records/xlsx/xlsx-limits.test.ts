// The streaming XLSX reader bounds what it holds (xlsx-limits.ts): each limit fires as the
// reader meets it, as a TOO_LARGE (or, for absurd nesting, UNREADABLE_FILE) naming it, and
// never by handing the workbook to SheetJS, which would hold it whole.
import { describe, expect, it } from 'vitest';
import { workbookEntries } from '../../../../fixtures/workbook-writer.mjs';
import { zip } from '../../../../fixtures/zip-writer.mjs';
import { ImportError } from '../../../../src/errors.js';
import { readSheetRecords } from '../../../../src/records/xlsx/sheet-records.js';
import { openSheetJsSheet } from '../../../../src/records/xlsx/sheetjs-sheet.js';
import { SharedStrings } from '../../../../src/records/xlsx/cells/shared-strings.js';
import { DEFAULT_XLSX_LIMITS, type XlsxLimits } from '../../../../src/records/xlsx/xlsx-limits.js';
import { caught, collect, readAll, valuesOf } from '../records-test-helpers.js';

const HEADER = '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>';
const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';

/** A workbook whose shared-strings table is `items` (raw `<si>` XML) after "Email", "Name". */
function book(items: string, rows = HEADER): Buffer {
  return zip(
    workbookEntries({ strings: ['Email', 'Name'], rows }).map((entry: { name: string; data: string }) =>
      entry.name === 'xl/sharedStrings.xml'
        ? { ...entry, data: `<?xml version="1.0"?><sst xmlns="${MAIN}"><si><t>Email</t></si><si><t>Name</t></si>${items}</sst>` }
        : entry,
    ),
  );
}

const read = (bytes: Buffer, limits: Partial<XlsxLimits> = {}) =>
  readAll(bytes, { kind: 'xlsx', fileName: 'book.xlsx', xlsxLimits: { ...DEFAULT_XLSX_LIMITS, ...limits } });

async function refusal(bytes: Buffer, limits: Partial<XlsxLimits> = {}): Promise<ImportError> {
  const error = await caught(() => read(bytes, limits));
  expect(error).toBeInstanceOf(ImportError);
  return error as ImportError;
}

const items = (count: number, text = (i: number) => `s${i}`) =>
  Array.from({ length: count }, (_, i) => `<si><t>${text(i)}</t></si>`).join('');

describe('XLSX limits', () => {
  it('refuses more shared strings than XLSX_MAX_SHARED_STRINGS', async () => {
    const bytes = book(items(3000));
    expect((await read(bytes, { maxSharedStrings: 3100 })).columns).toEqual(['Email', 'Name']);
    const error = await refusal(bytes, { maxSharedStrings: 2000 });
    expect(error.code).toBe('TOO_LARGE');
    expect(error.message).toBe('book.xlsx is too large to read: it has more than 2000 shared strings (the limit)');
    expect(error.hint).toMatch(/XLSX_MAX_SHARED_STRINGS/);
  });

  it('refuses shared strings adding up to more than XLSX_MAX_SHARED_STRINGS_MB', async () => {
    const bytes = book(items(300, () => 'x'.repeat(4000)));
    const error = await refusal(bytes, { maxSharedStringChars: 1024 * 1024 });
    expect(error.code).toBe('TOO_LARGE');
    expect(error.message).toMatch(/shared strings add up to more than 1 MiB of text/);
    expect(error.hint).toMatch(/XLSX_MAX_SHARED_STRINGS_MB/);
  });

  it('refuses a cell longer than XLSX_MAX_CELL_KB: shared, inline or a value', async () => {
    const long = 'y'.repeat(3000);
    const limits = { maxCellChars: 2048 };
    const cases = [
      book(`<si><t>${long}</t></si>`),
      book(`<si><r><t>${long}</t></r></si>`),
      book('', `${HEADER}<row r="2"><c r="A2" t="inlineStr"><is><t>${long}</t></is></c></row>`),
      book('', `${HEADER}<row r="2"><c r="A2" t="str"><v>${long}</v></c></row>`),
    ];
    for (const bytes of cases) {
      const error = await refusal(bytes, limits);
      expect(error.code).toBe('TOO_LARGE');
      expect(error.message).toBe('book.xlsx is too large to read: a cell holds more than 2 KiB of text (the limit)');
    }
    expect(valuesOf(await read(cases[2]!, { maxCellChars: 4096 }))).toEqual([[long, '']]);
  });

  it('refuses a row of more text than 16 cells at the limit', async () => {
    const cells = Array.from({ length: 20 }, (_, c) => `<c r="${String.fromCharCode(65 + c)}2" t="inlineStr"><is><t>${'z'.repeat(1000)}</t></is></c>`);
    const error = await refusal(book('', `${HEADER}<row r="2">${cells.join('')}</row>`), { maxCellChars: 1024 });
    expect(error.message).toMatch(/row 2 holds more than 16 cells' worth of text/);
  });

  it('refuses text or a tag the parser would have to hold whole', async () => {
    const error = await refusal(book('', `${HEADER}<row r="2"><c r="A2"><f>${' '.repeat(200_000)}</f></c></row>`), { maxCellChars: 1024 });
    expect(error.code).toBe('TOO_LARGE');
    expect(error.message).toMatch(/xl\/worksheets\/sheet1\.xml has a text or tag longer than/);
  });

  it('refuses deep nesting at once, instead of reading it whole', async () => {
    const started = Date.now();
    const deep = `<c r="A2" t="inlineStr"><is>${'<r>'.repeat(200_000)}</is></c>`;
    const error = await refusal(book('', `${HEADER}<row r="2">${deep}</row>`));
    expect(error.code).toBe('UNREADABLE_FILE');
    expect(error.message).toMatch(/nests elements more than 64 deep/);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('refuses cells past column XFD, counted without references', async () => {
    const row = `<row r="2">${'<c t="inlineStr"><is><t>a</t></is></c>'.repeat(16_385)}</row>`;
    const error = await refusal(book('', HEADER + row));
    expect(error.code).toBe('TOO_LARGE');
    expect(error.message).toMatch(/row 2 has a cell past column 16384/);
  });

  it('reads a workbook whole only under XLSX_MAX_WHOLE_MB', async () => {
    // Rows out of order: the streaming reader leaves it to SheetJS.
    const rows = `${HEADER}<row r="3"><c r="A3" t="s"><v>2</v></c></row><row r="2"><c r="A2" t="s"><v>3</v></c></row>`;
    const bytes = book(items(2), rows);
    expect(valuesOf(await read(bytes))).toEqual([['s1', ''], ['s0', '']]);
    const error = await refusal(bytes, { maxWholeBytes: 1024 });
    expect(error.code).toBe('TOO_LARGE');
    expect(error.message).toMatch(/it must be read whole \(.*out of order\), and at .* MiB unpacked it is over the 0 MiB limit/);
    expect(error.hint).toMatch(/XLSX_MAX_WHOLE_MB/);
  });
});

describe('an empty shared string', () => {
  const rows = `${HEADER}<row r="2"><c r="A2" t="s"><v>3</v></c><c r="B2" t="s"><v>2</v></c></row>` +
    '<row r="3"><c r="A3" t="s"><v>4</v></c><c r="B3" t="s"><v>5</v></c></row>';
  const table = (empty: string) => `<si><t>ann@example.com</t></si>${empty}<si><t>bob@example.com</t></si><si><t>Bob</t></si>`;

  it('<si/> is read by the streaming reader, as SheetJS reads <si></si>', async () => {
    const streamed = await read(book(table('<si/>'), rows));
    expect(valuesOf(streamed)).toEqual([['', 'ann@example.com'], ['bob@example.com', 'Bob']]);
    const same = book(table('<si></si>'), rows);
    expect(valuesOf(await read(same))).toEqual(valuesOf(streamed));
    const sheetjs = await readSheetRecords(await openSheetJsSheet(same, 'xlsx', { fileName: 'book.xlsx' }, () => 0), { fileName: 'book.xlsx' });
    expect((await collect(sheetjs.records)).map((r) => r.values)).toEqual(valuesOf(streamed));
    expect(sheetjs.columns).toEqual(streamed.columns);
  });

  it('<si/> no longer sends the workbook to SheetJS: the whole-read limit does not matter', async () => {
    // The limit is set to the largest part read whole anyway (the workbook's description and styles).
    const described = workbookEntries({ strings: [], rows: '' }).filter((entry: { name: string }) => !/sheet1|sharedStrings/.test(entry.name));
    const maxWholeBytes = Math.max(...described.map((entry: { data: string }) => Buffer.byteLength(entry.data)));
    const streamed = await read(book(table('<si/>'), rows), { maxWholeBytes });
    expect(valuesOf(streamed)).toEqual([['', 'ann@example.com'], ['bob@example.com', 'Bob']]);
  });
});

describe('SharedStrings', () => {
  it('keeps many strings compactly and gives each back, across blocks', () => {
    const strings = new SharedStrings();
    const texts: Array<string | undefined> = [];
    for (let i = 0; i < 20_000; i++) {
      const text = i % 997 === 0 ? undefined : i % 13 === 0 ? '' : `t${i}é`;
      texts.push(text);
      strings.add(text);
    }
    strings.finish();
    expect(strings.count).toBe(20_000);
    for (let i = 0; i < texts.length; i++) expect(strings.get(i)).toBe(texts[i]);
    expect(strings.get(-1)).toBeUndefined();
    expect(strings.get(20_000)).toBeUndefined();
  });
});

describe('parts read whole', () => {
  it('are refused over XLSX_MAX_WHOLE_MB', async () => {
    const bytes = book(items(2));
    const error = await refusal(bytes, { maxWholeBytes: 600 });
    expect(error.code).toBe('TOO_LARGE');
    expect(error.message).toMatch(/its part \S+\.(xml|rels) is .* MiB unpacked, over the 0 MiB limit for a part read whole/);
  });
});
