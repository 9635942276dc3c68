import { describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import { parseCellFormats } from '../../../../../src/records/xlsx/cells/cell-formats.js';
import { SharedStrings } from '../../../../../src/records/xlsx/cells/shared-strings.js';
import { sheetXmlRows } from '../../../../../src/records/xlsx/sheet-xml-rows.js';
import { DEFAULT_XLSX_LIMITS } from '../../../../../src/records/xlsx/xlsx-limits.js';

// The fast scan of rows (scan-sheet-data.ts) must give exactly what saxes gives: every sheet
// is read with `<sheetData>` (scanned) and with `<sheetData >` (which the scan never starts
// after, so saxes reads it all), whole and cut into chunks of many sizes.

const strings = new SharedStrings();
for (const text of ['Name', 'Email', ' ', 'Zoë']) strings.add(text);
strings.finish();
const styles = `<styleSheet><numFmts count="1"><numFmt numFmtId="164" formatCode="0.00"/></numFmts>
<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="14"/></cellXfs></styleSheet>`;
const formats = parseCellFormats(XLSX.SSF, 'xl/styles.xml', styles);

async function read(xml: string, chunkSize: number, maxCellChars: number): Promise<unknown> {
  const chunks = async function* (): AsyncGenerator<string> {
    for (let at = 0; at < xml.length; at += chunkSize) yield xml.slice(at, at + chunkSize);
  };
  const limits = { ...DEFAULT_XLSX_LIMITS, maxCellChars };
  const context = { file: 'f.xlsx', part: 'xl/worksheets/sheet1.xml', strings, formats, date1904: false, limits };
  const rows: unknown[] = [];
  try {
    for await (const row of sheetXmlRows(chunks(), context)) rows.push(row);
  } catch (error) {
    rows.push(`${(error as Error).constructor.name}: ${(error as Error).message}`);
  }
  return rows;
}

/** `open` is `<sheetData>`, or `<sheetData >` for saxes alone: a space before the first keeps the offsets alike. */
const sheet = (rows: string, open: string): string =>
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:C3"/>${open}${rows}</sheetData><pageMargins left="0.7"/></worksheet>`;

const cases: Record<string, string> = {
  usual: '<row r="1" spans="1:3"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row><row r="2"><c r="A2" t="str"><v>Ann</v></c><c r="B2" t="str"><v>a@x.org</v></c><c r="C2"><v>12.5</v></c></row>',
  styled: '<row r="1"><c r="A1" s="1"><v>3.14159</v></c><c r="B1" s="2"><v>45000</v></c><c r="C1" t="b"><v>1</v></c><c r="D1" t="e"><v>#N/A</v></c></row>',
  spaces: '\n  <row r="1" >\n <c r="A1" t="s" ><v>3</v>\r\n</c>\t<c r=\'B1\' t = "str"><v>  x  </v></c></row>\n<row r="3"/>  <row r="4"><c r="A4"/><c r="B4" t="str"/><c r="C4" t="str"><v/></c><c r="D4" t="str"><v></v></c></row>',
  entities: '<row r="1"><c r="A1" t="str"><v>O&apos;Brien &amp; &lt;Co&gt; &quot;q&quot;</v></c><c r="B1" t="str"><v>&amp;lt;</v></c></row>',
  characterReference: '<row r="1"><c r="A1" t="str"><v>a</v></c></row><row r="2"><c r="A2" t="str"><v>&#65;&#x42;</v></c></row><row r="3"><c r="A3" t="str"><v>after</v></c></row>',
  carriageReturn: '<row r="1"><c r="A1" t="str"><v>one\r\ntwo\rthree</v></c></row><row r="2"><c r="A2" t="str"><v>b</v></c></row>',
  astral: '<row r="1"><c r="A1" t="str"><v>😀 Zoë 株式会社</v></c><c r="B1" t="str"><v>_x000D_x</v></c></row>',
  loneSurrogate: '<row r="1"><c r="A1" t="str"><v>a\ud800b</v></c></row>',
  loneLowSurrogate: '<row r="1"><c r="A1" t="str"><v>a\udc00</v></c></row>',
  noncharacter: '<row r="1"><c r="A1" t="str"><v>a\ufffe</v></c></row>',
  unknownEntity: '<row r="1"><c r="A1" t="str"><v>a</v></c></row><row r="2"><c r="A2" t="str"><v>&nbsp;</v></c></row>',
  controlCharacter: '<row r="1"><c r="A1" t="str"><v>a\u0001b</v></c></row>',
  cdataEnd: '<row r="1"><c r="A1" t="str"><v>a]]>b</v></c></row>',
  brackets: '<row r="1"><c r="A1" t="str"><v>[a] ]> b]</v></c></row>',
  comment: '<row r="1"><c r="A1" t="str"><v>a</v></c></row><!-- <row r="9"> --><row r="2"><c r="A2" t="str"><v>b</v></c></row>',
  formula: '<row r="1"><c r="A1"><f>1+1</f><v>2</v></c><c r="B1" t="str"><f>"x"</f><v>x</v></c></row><row r="2"><c r="A2" t="str"><v>b</v></c></row>',
  inlineString: '<row r="1"><c r="A1" t="inlineStr"><is><t>in</t><r><t>line</t></r></is></c></row>',
  prefixed: '<x:row r="1"><x:c r="A1" t="str"><x:v>a</x:v></x:c></x:row>',
  duplicateAttribute: '<row r="1"><c r="A1" t="str" t="s"><v>a</v></c></row>',
  duplicateOtherAttribute: '<row r="1" ht="2" ht="3"><c r="A1" t="str"><v>a</v></c></row>',
  noSpaceBetweenAttributes: '<row r="1"><c r="A1"t="str"><v>a</v></c></row>',
  attributeEntity: '<row r="1"><c r="A&#49;" t="str"><v>a</v></c></row>',
  attributeLessThan: '<row r="1"><c r="A<1" t="str"><v>a</v></c></row>',
  unquotedAttribute: '<row r=1><c r="A1" t="str"><v>a</v></c></row>',
  mismatchedClose: '<row r="1"><c r="A1" t="str"><v>a</c></v></row>',
  closeTagSpace: '<row r="1"><c r="A1" t="str"><v>a</v ></c></row ><row r="2"><c r="A2" t="str"><v>b</v></c></row>',
  unclosed: '<row r="1"><c r="A1" t="str"><v>a</v></c>',
  outOfOrder: '<row r="2"><c r="A2" t="str"><v>a</v></c></row><row r="1"><c r="A1" t="str"><v>b</v></c></row>',
  wrongRowRef: '<row r="1"><c r="A1" t="str"><v>a</v></c><c r="B2" t="str"><v>b</v></c></row>',
  badRef: '<row r="1"><c r="a1" t="str"><v>a</v></c></row>',
  noRefs: '<row><c t="str"><v>a</v></c><c t="str"><v>b</v></c></row><row><c><v>1</v></c></row>',
  missingString: '<row r="1"><c r="A1" t="s"><v>7</v></c></row>',
  blankString: '<row r="1"><c r="A1" t="s"><v>2</v></c><c r="B1" t="s"><v>3</v></c></row>',
  unknownType: '<row r="1"><c r="A1" t="zz"><v>a</v></c></row>',
  pastXfd: '<row r="1"><c r="XFE1" t="str"><v>a</v></c></row>',
  longCell: '<row r="1"><c r="A1" t="str"><v>0123456789abcdefghij</v></c></row>',
  longRow: `<row r="1">${Array.from({ length: 20 }, (_, c) => `<c r="${String.fromCharCode(65 + c)}1" t="str"><v>0123456789</v></c>`).join('')}</row>`,
  otherElement: '<row r="1"><c r="A1" t="str"><v>a</v></c><extLst/></row><row r="2"><c r="A2" t="str"><v>b</v></c></row>',
  textInRow: '<row r="1">x<c r="A1" t="str"><v>a</v></c></row>',
  secondValue: '<row r="1"><c r="A1" t="str"><v>a</v><v>b</v></c></row>',
  emptySheet: '',
  rowsAfterSheetData: '<row r="1"><c r="A1" t="str"><v>a</v></c></row></sheetData><row r="2"><c r="A2" t="str"><v>b</v></c></row><sheetData>',
  twoRoots: '<row r="1"><c r="A1" t="str"><v>a</v></c></row></sheetData></worksheet><worksheet><sheetData>',
  colNotCell: '<row r="1"><col r="A1"/><c r="B1" t="str"><v>a</v></c></row>',
  rowLookalike: '<rows r="1"/><row r="2"><c r="A2" t="str"><v>a</v></c></row>',
};

describe('scanSheetData', () => {
  for (const [name, rows] of Object.entries(cases)) {
    it(`reads "${name}" as saxes does, in chunks of any size`, async () => {
      const maxCell = name.startsWith('long') ? 12 : DEFAULT_XLSX_LIMITS.maxCellChars;
      // Rows given before an error depend on where chunks end, so both are cut alike.
      for (const size of [1 << 20, 1, 2, 3, 5, 7, 11, 13, 31, 64, 100]) {
        const expected = await read(sheet(rows, '<sheetData >'), size, maxCell);
        expect(await read(sheet(rows, ' <sheetData>'), size, maxCell), `chunks of ${size}`).toEqual(expected);
      }
    });
  }
});
