// A worksheet's XML (`<sheetData><row><c>`) as rows of cells, parsed as a stream: memory
// holds one row at a time. Cells are built as SheetJS builds them ({t, v, w}), so cell-text.ts
// gives them the same text. What SheetJS would read differently from a plain in-order
// reading (rows out of order, a cell filed under another row, ISO date cells) is
// NotStreamable; a caller finds that out in its first pass, before any record is given out.

import type { CellFormats } from './cells/cell-formats.js';
import { parseCellRef } from './cells/cell-ref.js';
import type { Cell } from './cells/cell-text.js';
import { NotStreamable } from './not-streamable.js';
import type { SharedStrings } from './cells/shared-strings.js';
import type { SheetRow } from './sheet-records.js';
import { cellTooLarge, StringItem } from './cells/string-item.js';
import { textRunLimit } from './cells/shared-strings.js';
import { scanSheetData } from './xml/scan-sheet-data.js';
import { xmlParser, type XmlHandlers } from './xml/xml-parser.js';
import { decodeEscapes, formulaStringValue } from './xml/xml-text.js';
import { MAX_SHEET_COLUMNS, MAX_XML_DEPTH, xlsxTooLarge, type XlsxLimits } from './xlsx-limits.js';

export interface SheetContext {
  /** The workbook, for refusals. */
  file: string;
  part: string;
  strings: SharedStrings;
  formats: CellFormats;
  date1904: boolean;
  limits: XlsxLimits;
}

/** A row's own text (values and inline strings; shared strings are counted apart) may be this many cells' worth. */
const ROW_CELLS_OF_TEXT = 16;

/** The tag the fast scan of rows starts after. */
const SHEET_DATA = '<sheetData>';

/** A row the fast scan has not seen the end of after this many characters is left to saxes. */
const MAX_SCANNED_ROW = 1 << 20;

/** 1899-12-30, day 0 of Excel's 1900 date system, in ms. */
const DAY_ZERO = Date.UTC(1899, 11, 30, 0, 0, 0);

/**
 * A date serial as a Date with the wall-clock time in its UTC fields, or the serial itself
 * for 1900-02-29, which Excel counts but never was. Computed as SheetJS computes it, so the
 * two readers agree to the millisecond.
 */
function serialDate(serial: number): Date | number {
  if (serial >= 60 && serial < 61) return serial;
  return new Date((serial > 60 ? serial : serial + 1) * 24 * 60 * 60 * 1000 + DAY_ZERO);
}

/**
 * `needText(row)` false: the row's numbers are not given their formatted text (`w`), which
 * only a pass that merely looks for used columns can do without.
 */
export async function* sheetXmlRows(
  chunks: AsyncIterable<string>,
  context: SheetContext,
  needText: (row: number) => boolean = () => true,
): AsyncGenerator<SheetRow> {
  const { file, part, strings, formats, date1904, limits } = context;
  const maxCell = limits.maxCellChars;
  const maxRowText = maxCell * ROW_CELLS_OF_TEXT;
  let rowText = 0;
  const ready: SheetRow[] = [];
  let inData = false;
  let rowNumber = 0;
  let lastRow = -1;
  let cells: Array<Cell | undefined> | undefined;
  let column = -1;
  // The cell being read.
  let inCell = false;
  let cellColumn = 0;
  let type: string | undefined;
  let style: string | undefined;
  let value: string | undefined;
  let vState: 'before' | 'in' | 'done' = 'before';
  let inline: StringItem | undefined;
  let inlineState: 'before' | 'in' | 'done' = 'before';

  const fail = (why: string): never => {
    throw new NotStreamable(`${part}: ${why}`);
  };

  const endCell = (): void => {
    inCell = false;
    const text = value === undefined || value === '' ? undefined : decodeEscapes(value);
    let cell: Cell;
    if (type === undefined && text === undefined) return;
    switch (type || 'n') {
      case 'n': {
        if (text === undefined) return;
        const v = Number.parseFloat(text);
        const format = formats.of(style);
        if (format.isDate && formats.datesKnown) {
          const date = serialDate(date1904 ? v + 1462 : v);
          cell = date instanceof Date ? { t: 'd', v: date } : { t: 'n', v: date, w: formats.text(format, v) };
        } else {
          const w = (format.isGeneral && Number.isInteger(v)) || !needText(lastRow) ? undefined : formats.text(format, v);
          cell = { t: 'n', v, w };
        }
        break;
      }
      case 's': {
        if (text === undefined) return;
        const index = Number.parseInt(text, 10);
        if (!(index >= 0 && index < strings.count)) fail(`a cell refers to shared string ${text}, which does not exist`);
        cell = { t: 's', v: strings.get(index) };
        break;
      }
      case 'str':
        cell = { t: 's', v: text === undefined ? '' : formulaStringValue(text) };
        break;
      case 'inlineStr':
        cell = { t: 's', v: inlineState === 'done' ? inline!.value() : '' };
        break;
      case 'b':
        cell = { t: 'b', v: text === '1' || text === 'true' };
        break;
      case 'e':
        cell = { t: 'e', w: text };
        break;
      default:
        return fail(`a cell of type "${type}"`);
    }
    cells![cellColumn] = cell;
  };

  // For the fast scan (scan-sheet-data.ts): events given, and when `<sheetData>` opened.
  let events = 0;
  let sheetDataOpenedAt = -1;
  // The row numbers before the last row began, to undo a row the scan gives again.
  let rowNumberBefore = 0;
  let lastRowBefore = -1;
  const handlers: Required<XmlHandlers> = {
    open(name, attributes, selfClosing) {
      events++;
      if (!inData) {
        if (name === 'sheetData') {
          inData = !selfClosing;
          sheetDataOpenedAt = events;
        }
        return;
      }
      if (inCell) {
        if (inline !== undefined && inlineState === 'in') inline.open(name, selfClosing);
        else if (name === 'v' && vState === 'before' && !selfClosing) {
          vState = 'in';
          value = '';
        } else if (name === 'is' && inlineState === 'before' && !selfClosing) {
          inlineState = 'in';
          inline = new StringItem(file, maxCell);
        }
        return;
      }
      if (name === 'row') {
        rowNumberBefore = rowNumber;
        lastRowBefore = lastRow;
        const r = attributes.r;
        rowNumber = r === undefined ? rowNumber + 1 : Number.parseInt(r, 10);
        if (!(rowNumber > lastRow + 1)) fail(`row ${r ?? rowNumber} is out of order`);
        lastRow = rowNumber - 1;
        cells = [];
        column = -1;
        rowText = 0;
      } else if (name === 'c' && cells !== undefined) {
        // SpreadsheetML's own attributes are never prefixed: looked up directly, for speed.
        const ref = attributes.r;
        if (ref === undefined) column++;
        else {
          const at = parseCellRef(ref);
          if (at === undefined || at.row !== lastRow) fail(`cell ${ref} is not in row ${lastRow + 1}`);
          column = at!.column;
        }
        if (column >= MAX_SHEET_COLUMNS) {
          throw xlsxTooLarge(file, `row ${lastRow + 1} has a cell past column ${MAX_SHEET_COLUMNS} (XFD), Excel's last`);
        }
        inCell = true;
        cellColumn = column;
        type = attributes.t;
        style = attributes.s;
        value = undefined;
        vState = 'before';
        inline = undefined;
        inlineState = 'before';
        if (selfClosing) endCell();
      }
    },
    close(name) {
      events++;
      if (!inData) return;
      if (inCell) {
        if (name === 'c') endCell();
        else if (inlineState === 'in') {
          if (name === 'is') inlineState = 'done';
          else inline!.close(name);
        } else if (name === 'v' && vState === 'in') vState = 'done';
        return;
      }
      if (name === 'row' && cells !== undefined) {
        if (cells.length > 0) ready.push({ index: lastRow, cells });
        cells = undefined;
      } else if (name === 'sheetData') inData = false;
    },
    text(text) {
      events++;
      if (!inCell) return;
      if (vState === 'in') {
        value += text;
        if (value!.length > maxCell) throw cellTooLarge(file, maxCell);
      } else if (inlineState === 'in') inline!.text(text);
      else return;
      rowText += text.length;
      if (rowText > maxRowText) {
        throw xlsxTooLarge(file, `row ${lastRow + 1} holds more than ${ROW_CELLS_OF_TEXT} cells' worth of text (the cell limit)`, 'XLSX_MAX_CELL_KB');
      }
    },
  };
  const parser = xmlParser(part, handlers, { file, maxTextRun: textRunLimit(limits) });

  // saxes reads up to `<sheetData>`; the rows are scanned while they have the usual shapes,
  // and saxes reads the rest from the first row that has not (or from `</sheetData>`).
  let mode: 'before' | 'scan' | 'xml' = 'before';
  let pending = '';
  const toXml = (text: string): void => {
    mode = 'xml';
    pending = '';
    parser.parse(text);
  };
  const scanPending = (): void => {
    const scan = scanSheetData(pending, 0, handlers);
    if (scan.begun) {
      // The row is read again from its start, by the scan or by saxes.
      rowNumber = rowNumberBefore;
      lastRow = lastRowBefore;
      cells = undefined;
      inCell = false;
    }
    if (scan.stop !== 'more') toXml(pending.slice(scan.at));
    else if (pending.length - scan.at > MAX_SCANNED_ROW) toXml(pending.slice(scan.at));
    else pending = pending.slice(scan.at);
  };

  for await (const chunk of chunks) {
    parser.check(chunk);
    if (mode === 'xml') parser.parse(chunk);
    else if (mode === 'scan') {
      pending += chunk;
      scanPending();
    } else {
      const at = chunk.indexOf(SHEET_DATA);
      if (at < 0) parser.parse(chunk);
      else {
        parser.parse(chunk.slice(0, at + SHEET_DATA.length));
        // The scan starts only if saxes's last event was `<sheetData>` opening (not, say,
        // text in a comment), in plain XML 1.0, with room for rows below it.
        if (inData && sheetDataOpenedAt === events && parser.version() !== '1.1' && parser.depth() + 3 <= MAX_XML_DEPTH) {
          mode = 'scan';
          pending = chunk.slice(at + SHEET_DATA.length);
          scanPending();
        } else toXml(chunk.slice(at + SHEET_DATA.length));
      }
      if (mode === 'before' && inData) mode = 'xml';
    }
    if (ready.length > 0) {
      yield* ready;
      ready.length = 0;
    }
  }
  if (mode !== 'xml') parser.parse(pending);
  parser.end();
  yield* ready;
}
