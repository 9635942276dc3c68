// One sheet's rows → records, whichever reader produced the rows (SheetJS for XLS and odd
// workbooks, the streaming XLSX reader for the rest), so both read a sheet alike.
//
// The table's columns are those used anywhere in the sheet (like Excel's own CSV export),
// which is only known at its end, so the sheet is read twice: a first pass finds the header
// row and the used columns, keeping only the first rows; the second turns rows into records
// as they are pulled.

import { ImportError } from '../../errors.js';
import type { FileFormat } from '../file-format.js';
import { cellRef } from './cells/cell-ref.js';
import { cellText, hasContent, type Cell } from './cells/cell-text.js';
import { ControlCharacters } from '../control-characters.js';
import { findHeaderRow, HEADER_SEARCH_ROWS } from '../detect/find-header-row.js';
import { checkHeaderRow, headerRowMissing, SkippedRows } from '../detect/header-row.js';
import type { CellError, ReadOptions, RecordSource, SourceRecord } from '../record-source.js';
import { isBlankRow, MAX_COLUMNS, shapeRow, tooManyColumns, tooManyRows } from '../shape-row.js';
import { singleUse } from '../single-use.js';
import { uniqueHeaders } from '../unique-headers.js';

export interface SheetRow {
  /** 0-based sheet row; rows come in increasing order, empty ones may be left out. */
  index: number;
  /** Cells by 0-based column; holes are empty cells. */
  cells: ReadonlyArray<Cell | undefined>;
}

export interface Sheet {
  kind: 'xlsx' | 'xls';
  name: string;
  /**
   * Reads the rows from the start of the sheet; called once per pass. Where `needText(row)`
   * is false, cells need not carry their formatted text: only whether they hold anything.
   */
  rows(needText?: (row: number) => boolean): AsyncIterable<SheetRow>;
  /** Bytes consumed from the input, for progress. */
  bytesRead(): number;
  /** Called once the records are read, or reading stopped. */
  close?(): void;
}

/** Inclusive column range; empty when last < first. */
type Columns = [first: number, last: number];
const NO_COLUMNS: Columns = [Infinity, -1];

interface ReadRow {
  fields: string[];
  cellErrors: CellError[];
}

/** Converts one sheet row; error cells become '' plus a cell error naming the cell. */
function readRow(row: SheetRow, [first, last]: Columns): ReadRow | undefined {
  const fields: string[] = [];
  const cellErrors: CellError[] = [];
  for (let c = first; c <= last; c++) {
    const cell = row.cells[c];
    if (cell?.t === 'e') {
      cellErrors.push({ column: c - first, message: `cell ${cellRef(row.index, c)} has the error ${cell.w ?? '#ERROR'}` });
      fields.push('');
    } else {
      fields.push(cellText(cell));
    }
  }
  if (cellErrors.length === 0 && isBlankRow(fields)) return undefined;
  return { fields, cellErrors };
}

/** The columns of a row that hold anything (formatted-but-empty cells do not count). */
function usedColumns(row: SheetRow): Columns {
  let first = Infinity;
  let last = -1;
  row.cells.forEach((cell, c) => {
    if (!hasContent(cell)) return;
    if (c < first) first = c;
    if (c > last) last = c;
  });
  return [first, last];
}

const widen = (a: Columns, b: Columns): Columns => [Math.min(a[0], b[0]), Math.max(a[1], b[1])];

/**
 * A row read over its own used columns. Every cell with content is in the table's columns,
 * so whether a row is blank, and its non-blank values, do not depend on the table's width.
 */
const readOwn = (row: SheetRow): ReadRow | undefined => readRow(row, usedColumns(row));

interface Scan {
  /** Used columns of the whole sheet, and from the header row down. */
  all: Columns;
  fromHeader: Columns;
  header: SheetRow | undefined;
  skipped: SkippedRows;
  /** With a header row asked for: the next non-blank row when it is blank. */
  nextRow?: number;
  /** Without one: whether any non-blank row was found. */
  found: boolean;
}

/** First pass: where the header is and which columns are used. */
async function scan(sheet: Sheet, wantedIndex: number | undefined, firstRowIsHeader: boolean): Promise<Scan> {
  const result: Scan = { all: NO_COLUMNS, fromHeader: NO_COLUMNS, header: undefined, skipped: new SkippedRows(), found: false };
  // Until the header is chosen, the rows seen (few: the first non-blank ones) are kept.
  const seen: Array<{ row: SheetRow; used: Columns; read: ReadRow | undefined }> = [];
  let candidates = 0;
  let headerIndex = wantedIndex;
  let headerBlank = false;
  const choose = (): void => {
    const rows = seen.filter((entry) => entry.read !== undefined);
    result.found = rows.length > 0;
    if (!result.found) return;
    const at = firstRowIsHeader ? 0 : findHeaderRow(rows.map((entry) => entry.read!.fields));
    result.header = rows[at]!.row;
    headerIndex = result.header.index;
    for (const entry of rows.slice(0, at)) result.skipped.add(entry.read!.fields);
    for (const entry of seen) if (entry.row.index >= headerIndex) result.fromHeader = widen(result.fromHeader, entry.used);
    seen.length = 0;
  };

  const needText = (index: number): boolean =>
    headerIndex === undefined || index <= headerIndex || (result.header === undefined && result.nextRow === undefined);
  for await (const row of sheet.rows(needText)) {
    const used = usedColumns(row);
    result.all = widen(result.all, used);
    if (headerIndex === undefined) {
      const read = used[1] < 0 && !row.cells.some((cell) => cell?.t === 'e') ? undefined : readOwn(row);
      seen.push({ row, used, read });
      if (read !== undefined && ++candidates > HEADER_SEARCH_ROWS) choose();
      continue;
    }
    if (row.index >= headerIndex) result.fromHeader = widen(result.fromHeader, used);
    if (wantedIndex === undefined) continue;
    if (row.index < wantedIndex) {
      const read = readOwn(row);
      if (read !== undefined) result.skipped.add(read.fields);
    } else if (row.index === wantedIndex) {
      if (readOwn(row) !== undefined) result.header = row;
      else headerBlank = true;
    } else if (result.header === undefined && result.nextRow === undefined && readOwn(row) !== undefined) {
      result.nextRow = row.index;
    }
  }
  if (headerIndex === undefined) choose();
  if (wantedIndex !== undefined) result.found = !headerBlank && result.header !== undefined;
  return result;
}

export async function readSheetRecords(sheet: Sheet, options: ReadOptions): Promise<RecordSource> {
  const file = options.fileName;
  const { kind, name } = sheet;
  const earlier = options.format?.type === kind ? options.format : undefined;
  // The header is the row asked for (headerRow, or an earlier analysis), else the first
  // non-empty row, unless the first rows look like a title block (find-header-row.ts).
  const explicitHeaderRow = options.headerRow === undefined ? undefined : checkHeaderRow(options.headerRow, file);
  const wanted = explicitHeaderRow ?? earlier?.headerRow;
  const found = await scan(sheet, wanted === undefined ? undefined : wanted - 1, earlier !== undefined);
  if (wanted !== undefined && !found.found) {
    throw headerRowMissing(file, wanted, found.nextRow === undefined ? undefined : found.nextRow + 1, 'row');
  }
  if (!found.found || found.header === undefined) {
    throw new ImportError('EMPTY_FILE', `sheet "${name}" of ${file} has no header row`, {
      file,
      hint: 'put the column names in the first row, or set sheet to choose another one',
      options: ['sheet'],
    });
  }
  const header = found.header;
  const headerIndex = header.index;
  const skipped = found.skipped;
  // A title above the table must not widen it.
  const columnsUsed = skipped.count > 0 ? found.fromHeader : found.all;
  const range: Columns = columnsUsed[1] < 0 ? [0, -1] : columnsUsed;
  const width = range[1] - range[0] + 1;
  if (width > MAX_COLUMNS) throw tooManyColumns(file, width, headerIndex + 1);
  const controls = new ControlCharacters();
  const columns = uniqueHeaders(controls.clean(readRow(header, range)!.fields, headerIndex + 1));

  const maxRows = options.maxRows;
  async function* records(): AsyncGenerator<SourceRecord> {
    try {
      let count = 0;
      for await (const row of sheet.rows()) {
        if (row.index <= headerIndex) continue;
        const read = readRow(row, range);
        if (read === undefined) continue;
        const line = row.index + 1;
        const fields = controls.clean(read.fields, line);
        if (fields !== read.fields && read.cellErrors.length === 0 && isBlankRow(fields)) continue;
        count++;
        if (maxRows !== undefined && count > maxRows) throw tooManyRows(file, maxRows, line);
        const shaped = shapeRow(fields, columns.length);
        yield { row: count, line, ...shaped, ...(read.cellErrors.length > 0 ? { cellErrors: read.cellErrors } : {}) };
      }
    } finally {
      sheet.close?.();
    }
  }

  const format: FileFormat = { type: kind, encoding: 'binary', sheet: name };
  if (explicitHeaderRow !== undefined || skipped.count > 0) format.headerRow = headerIndex + 1;
  return {
    columns,
    format,
    records: singleUse(records()),
    bytesRead: () => sheet.bytesRead(),
    warnings: () => [skipped.warning(headerIndex + 1, 'row'), controls.warning()].filter((w): w is string => w !== undefined),
  };
}
