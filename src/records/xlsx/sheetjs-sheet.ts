// SheetJS's side of a sheet: the whole workbook in memory, only the chosen sheet parsed.
// Used for legacy XLS (BIFF) and for the workbooks the streaming reader leaves to it
// (not-streamable.ts).

import type * as XLSX from 'xlsx';
import { chooseSheet } from './choose-sheet.js';
import type { ReadOptions } from '../record-source.js';
import type { Sheet, SheetRow } from './sheet-records.js';
import { unreadableSpreadsheet } from './unreadable-spreadsheet.js';

type SpreadsheetKind = 'xlsx' | 'xls';

export async function openSheetJsSheet(
  bytes: Buffer,
  kind: SpreadsheetKind,
  options: ReadOptions,
  bytesRead: () => number,
): Promise<Sheet> {
  const file = options.fileName;
  // Loaded here, not at the top: CSV-only commands never pay for SheetJS.
  const sheetjs = await import('xlsx');
  const earlier = options.format?.type === kind ? options.format : undefined;
  // Listing the sheets first is cheap and lets the full parse skip every other sheet.
  const sheetNames = parseWorkbook(sheetjs, bytes, file, kind, { bookSheets: true }).SheetNames;
  const name = chooseSheet(sheetNames, options.sheet ?? earlier?.sheet, file);
  const workbook = parseWorkbook(sheetjs, bytes, file, kind, {
    dense: true,
    cellDates: true,
    cellFormula: false,
    cellHTML: false,
    cellStyles: false,
    sheets: name,
  });
  const sheet = workbook.Sheets[name];
  if (sheet === undefined) throw unreadableSpreadsheet(file, kind, `sheet "${name}" is missing`);
  const rows: Array<XLSX.CellObject[] | undefined> = (sheet['!data'] as XLSX.CellObject[][] | undefined) ?? [];
  return {
    kind,
    name,
    async *rows(): AsyncGenerator<SheetRow> {
      for (let index = 0; index < rows.length; index++) {
        const cells = rows[index];
        if (cells) yield { index, cells };
      }
    },
    bytesRead,
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
    throw unreadableSpreadsheet(file, kind, error instanceof Error ? error.message : String(error), error);
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
