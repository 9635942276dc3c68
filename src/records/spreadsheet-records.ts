// XLSX/XLS → records. SheetJS needs the whole file in memory; only the chosen sheet is
// parsed, and its dense rows are turned into records one at a time as they are pulled.

import * as XLSX from 'xlsx';
import { ImportError } from '../errors.js';
import type { FileFormat, SourceRecord } from '../types.js';
import type { ByteSource } from './byte-source.js';
import { detectFileKind, MAGIC_HEAD_BYTES } from './detect-file-kind.js';
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

  const earlier = options.format?.type === kind ? options.format : undefined;
  // Listing the sheets first is cheap and lets the full parse skip every other sheet.
  const sheetNames = parseWorkbook(bytes, file, kind, { bookSheets: true }).SheetNames;
  const sheetName = chooseSheet(sheetNames, options.sheet ?? earlier?.sheet, file);
  const workbook = parseWorkbook(bytes, file, kind, {
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

  const [firstColumn, lastColumn] = usedColumns(rows);
  const width = lastColumn - firstColumn + 1;

  // Converts one sheet row; error cells become '' plus a problem naming the cell.
  const readRow = (r: number): { fields: string[]; problems: string[] } | undefined => {
    const cells = rows[r];
    if (cells === undefined || cells === null) return undefined;
    const fields: string[] = [];
    const problems: string[] = [];
    for (let c = firstColumn; c <= lastColumn; c++) {
      const cell = cells[c];
      if (cell?.t === 'e') {
        problems.push(`cell ${XLSX.utils.encode_cell({ r, c })} has the error ${cell.w ?? '#ERROR'}`);
        fields.push('');
      } else {
        fields.push(cellText(cell));
      }
    }
    if (problems.length === 0 && isBlankRow(fields)) return undefined;
    return { fields, problems };
  };

  // The header is the first non-empty row; data rows follow it.
  let headerIndex = 0;
  let header: string[] | undefined;
  while (header === undefined && headerIndex < rows.length) {
    header = readRow(headerIndex)?.fields;
    if (header === undefined) headerIndex++;
  }
  if (header === undefined) {
    throw new ImportError('EMPTY_FILE', `sheet "${sheetName}" of ${file} has no header row`, {
      file,
      hint: 'put the column names in the first row, or choose another sheet with --sheet',
    });
  }
  if (width > MAX_COLUMNS) throw tooManyColumns(file, width, headerIndex + 1);
  const columns = uniqueHeaders(header);

  const maxRows = options.maxRows;
  function* records(): Generator<SourceRecord> {
    let row = 0;
    for (let r = headerIndex + 1; r < rows.length; r++) {
      const read = readRow(r);
      if (read === undefined) continue;
      row++;
      if (maxRows !== undefined && row > maxRows) throw tooManyRows(file, maxRows, r + 1);
      yield { row, line: r + 1, ...shapeRow(read.fields, columns.length, read.problems) };
    }
  }

  const format: FileFormat = { type: kind, encoding: 'binary', sheet: sheetName };
  return {
    columns,
    format,
    records: singleUse(toAsync(records())),
    bytesRead: () => source.bytesRead(),
  };
}

function parseWorkbook(
  bytes: Buffer,
  file: string,
  kind: SpreadsheetKind,
  options: XLSX.ParsingOptions,
): XLSX.WorkBook {
  try {
    return XLSX.read(bytes, { type: 'buffer', ...options });
  } catch (error) {
    throw unreadable(file, kind, error instanceof Error ? error.message : String(error), error);
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
function usedColumns(rows: ReadonlyArray<XLSX.CellObject[] | undefined>): [number, number] {
  let first = Infinity;
  let last = -1;
  for (const cells of rows) {
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
