// XLSX/XLS → records. SheetJS needs the whole file in memory; only the chosen sheet is
// parsed, and its dense rows are turned into records one at a time as they are pulled.

import type * as XLSX from 'xlsx';
import { ImportError } from '../errors.js';
import type { FileFormat, SourceRecord } from '../types.js';
import type { ByteSource } from './byte-source.js';
import { checkWorkbookZip } from './check-workbook-zip.js';
import { ControlCharacters } from './control-characters.js';
import { detectFileKind, MAGIC_HEAD_BYTES } from './detect-file-kind.js';
import { findHeaderRow, HEADER_SEARCH_ROWS } from './find-header-row.js';
import { checkHeaderRow, headerRowMissing, SkippedRows } from './header-row.js';
import type { ReadOptions, RecordSource } from './record-source.js';
import { isBlankRow, MAX_COLUMNS, shapeRow, tooManyColumns, tooManyRows } from './shape-row.js';
import { singleUse } from './single-use.js';
import { uniqueHeaders } from './unique-headers.js';

type SpreadsheetKind = 'xlsx' | 'xls';

export async function readSpreadsheetRecords(
  source: ByteSource,
  options: ReadOptions,
): Promise<RecordSource> {
  const file = options.fileName;
  const kind: SpreadsheetKind = options.kind === 'xls' ? 'xls' : 'xlsx';
  const bytes = await source.readAll();
  if (bytes.length === 0) {
    throw new ImportError('EMPTY_FILE', `${file} is empty`, {
      file,
      hint: 'upload a file with a header row and at least one contact',
    });
  }
  // SheetJS reads almost anything (plain text becomes a CSV workbook); insist on the kind.
  if (detectFileKind(bytes.subarray(0, MAGIC_HEAD_BYTES), file) !== kind) {
    throw unreadable(file, kind, `it is not an ${kind.toUpperCase()} file`);
  }
  // Zip bombs, non-workbook archives and DTDs are refused before SheetJS inflates anything.
  if (kind === 'xlsx') await checkWorkbookZip(bytes, file);

  // Loaded here, not at the top: CSV-only commands never pay for SheetJS.
  const sheetjs = await import('xlsx');
  const earlier = options.format?.type === kind ? options.format : undefined;
  // Listing the sheets first is cheap and lets the full parse skip every other sheet.
  const sheetNames = parseWorkbook(sheetjs, bytes, file, kind, { bookSheets: true }).SheetNames;
  const sheetName = chooseSheet(sheetNames, options.sheet ?? earlier?.sheet, file);
  const workbook = parseWorkbook(sheetjs, bytes, file, kind, {
    dense: true,
    cellDates: true,
    cellFormula: false,
    cellHTML: false,
    cellStyles: false,
    sheets: sheetName,
  });
  const sheet = workbook.Sheets[sheetName];
  if (sheet === undefined) throw unreadable(file, kind, `sheet "${sheetName}" is missing`);
  const rows: Array<XLSX.CellObject[] | undefined> = (sheet['!data'] as XLSX.CellObject[][] | undefined) ?? [];

  // Until the header is known, the columns are those of the whole sheet.
  let [firstColumn, lastColumn] = usedColumns(rows, 0);

  // Converts one sheet row; error cells become '' plus a problem naming the cell.
  const readRow = (r: number): { fields: string[]; problems: string[] } | undefined => {
    const cells = rows[r];
    if (cells === undefined || cells === null) return undefined;
    const fields: string[] = [];
    const problems: string[] = [];
    for (let c = firstColumn; c <= lastColumn; c++) {
      const cell = cells[c];
      if (cell?.t === 'e') {
        problems.push(`cell ${sheetjs.utils.encode_cell({ r, c })} has the error ${cell.w ?? '#ERROR'}`);
        fields.push('');
      } else {
        fields.push(cellText(cell));
      }
    }
    if (problems.length === 0 && isBlankRow(fields)) return undefined;
    return { fields, problems };
  };

  // The header is the row asked for (--header-row, or an earlier analysis), else the first
  // non-empty row, unless the first rows look like a title block (find-header-row.ts).
  const explicitHeaderRow = options.headerRow === undefined ? undefined : checkHeaderRow(options.headerRow, file);
  const wanted = explicitHeaderRow ?? earlier?.headerRow;
  let headerIndex: number;
  if (wanted !== undefined) {
    headerIndex = wanted - 1;
    if (readRow(headerIndex) === undefined) {
      let next = headerIndex + 1;
      while (next < rows.length && readRow(next) === undefined) next++;
      throw headerRowMissing(file, wanted, next < rows.length ? next + 1 : undefined, 'row');
    }
  } else {
    const candidates: number[] = [];
    for (let r = 0; r < rows.length && candidates.length <= HEADER_SEARCH_ROWS; r++) {
      if (readRow(r) !== undefined) candidates.push(r);
    }
    if (candidates.length === 0) {
      throw new ImportError('EMPTY_FILE', `sheet "${sheetName}" of ${file} has no header row`, {
        file,
        hint: 'put the column names in the first row, or choose another sheet with --sheet',
      });
    }
    headerIndex = earlier ? candidates[0]! : candidates[findHeaderRow(candidates.map((r) => readRow(r)!.fields))]!;
  }
  const skipped = new SkippedRows();
  for (let r = 0; r < headerIndex; r++) {
    const read = readRow(r);
    if (read !== undefined) skipped.add(read.fields);
  }
  // A title above the table must not widen it.
  if (skipped.count > 0) [firstColumn, lastColumn] = usedColumns(rows, headerIndex);
  const width = lastColumn - firstColumn + 1;
  if (width > MAX_COLUMNS) throw tooManyColumns(file, width, headerIndex + 1);
  const controls = new ControlCharacters();
  const columns = uniqueHeaders(controls.clean(readRow(headerIndex)!.fields, headerIndex + 1));

  const maxRows = options.maxRows;
  function* records(): Generator<SourceRecord> {
    let row = 0;
    for (let r = headerIndex + 1; r < rows.length; r++) {
      const read = readRow(r);
      if (read === undefined) continue;
      const fields = controls.clean(read.fields, r + 1);
      if (fields !== read.fields && read.problems.length === 0 && isBlankRow(fields)) continue;
      row++;
      if (maxRows !== undefined && row > maxRows) throw tooManyRows(file, maxRows, r + 1);
      yield { row, line: r + 1, ...shapeRow(fields, columns.length, read.problems) };
    }
  }

  const format: FileFormat = { type: kind, encoding: 'binary', sheet: sheetName };
  if (explicitHeaderRow !== undefined || skipped.count > 0) format.headerRow = headerIndex + 1;
  return {
    columns,
    format,
    records: singleUse(toAsync(records())),
    bytesRead: () => source.bytesRead(),
    warnings: () => [skipped.warning(headerIndex + 1, 'row'), controls.warning()].filter((w): w is string => w !== undefined),
  };
}

function parseWorkbook(
  sheetjs: typeof XLSX,
  bytes: Buffer,
  file: string,
  kind: SpreadsheetKind,
  options: XLSX.ParsingOptions,
): XLSX.WorkBook {
  try {
    return quietly(() => sheetjs.read(bytes, { type: 'buffer', ...options }));
  } catch (error) {
    throw unreadable(file, kind, error instanceof Error ? error.message : String(error), error);
  }
}

/**
 * SheetJS writes some damage it tolerates to the console ("Missing Info for XLS Record"),
 * which would break the CLI's one-line errors and the --json contract. Parsing is
 * synchronous, so nothing else can log while the console is muted.
 */
function quietly<T>(parse: () => T): T {
  const { error, warn, log } = console;
  console.error = console.warn = console.log = () => {};
  try {
    return parse();
  } finally {
    Object.assign(console, { error, warn, log });
  }
}

function unreadable(file: string, kind: SpreadsheetKind, reason: string, cause?: unknown): ImportError {
  return new ImportError('UNREADABLE_FILE', `${file} could not be read as ${kind.toUpperCase()}: ${reason}`, {
    file,
    hint: 'open it in Excel or LibreOffice and save it again, or export the sheet as CSV',
    cause,
  });
}

/** By exact name first, then as a 1-based number; the first sheet by default. */
export function chooseSheet(names: string[], wanted: string | undefined, file: string): string {
  const available = names.map((name) => JSON.stringify(name)).join(', ');
  if (names.length === 0) {
    throw new ImportError('EMPTY_FILE', `${file} has no sheets`, { file, hint: 'add a sheet with your contacts' });
  }
  if (wanted === undefined || wanted === '') return names[0]!;
  if (names.includes(wanted)) return wanted;
  if (/^\s*\d+\s*$/.test(wanted)) {
    const index = Number(wanted);
    if (index >= 1 && index <= names.length) return names[index - 1]!;
  }
  throw new ImportError('NOT_FOUND', `${file} has no sheet ${JSON.stringify(wanted)}`, {
    file,
    hint: `choose a sheet by name or number (1-${names.length}): ${available}`,
  });
}

/**
 * The columns that hold anything, over the whole sheet: like Excel's own CSV export, a value
 * to the right of the last named column gets a column, and leading empty columns are dropped.
 * Formatted-but-empty cells are ignored, so they cannot widen the table.
 */
function usedColumns(rows: ReadonlyArray<XLSX.CellObject[] | undefined>, fromRow: number): [number, number] {
  let first = Infinity;
  let last = -1;
  for (let r = fromRow; r < rows.length; r++) {
    const cells = rows[r];
    if (!cells) continue;
    for (let c = 0; c < cells.length; c++) {
      if (!hasContent(cells[c])) continue;
      if (c < first) first = c;
      if (c > last) last = c;
    }
  }
  return last < 0 ? [0, -1] : [first, last];
}

function hasContent(cell: XLSX.CellObject | undefined): boolean {
  if (!cell || cell.t === 'z' || cell.v === undefined || cell.v === null) return cell?.t === 'e';
  return !(cell.t === 's' && String(cell.v).trim() === '');
}

/** A cell as the text a user sees, in a form the validators understand. */
export function cellText(cell: XLSX.CellObject | undefined): string {
  if (!cell || cell.v === undefined || cell.v === null) return '';
  const { v, w } = cell;
  switch (cell.t) {
    case 's':
      return String(v);
    case 'b':
      return v ? 'TRUE' : 'FALSE';
    case 'n':
      if (typeof v !== 'number') return String(v);
      // Phone numbers and IDs are integers: never `5.55E+09`. A digits-only formatted text is
      // kept, so a zip code formatted `00000` keeps its leading zero.
      if (Number.isInteger(v)) return w !== undefined && /^-?\d+$/.test(w) ? w : integerText(v);
      return w ?? String(v);
    case 'd':
      return v instanceof Date ? isoDate(v) : String(v);
    case 'e':
    case 'z':
      return '';
    default:
      return w ?? String(v);
  }
}

function integerText(value: number): string {
  return Math.abs(value) < 1e21 ? String(value) : BigInt(value).toString();
}

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

/**
 * Spreadsheet dates carry no time zone; SheetJS returns them with the sheet's wall-clock
 * time in the UTC fields, so they are formatted from those, without a zone suffix.
 */
export function isoDate(date: Date): string {
  if (Number.isNaN(date.getTime())) return '';
  const day = `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
  const h = date.getUTCHours();
  const m = date.getUTCMinutes();
  const s = date.getUTCSeconds();
  const ms = date.getUTCMilliseconds();
  if (h === 0 && m === 0 && s === 0 && ms === 0) return day;
  return `${day}T${pad(h)}:${pad(m)}:${pad(s)}${ms === 0 ? '' : `.${pad(ms, 3)}`}`;
}

async function* toAsync<T>(items: Iterable<T>): AsyncGenerator<T> {
  yield* items;
}
