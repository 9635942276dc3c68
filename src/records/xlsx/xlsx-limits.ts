// What reading one XLSX may keep in memory. The streaming reader holds the shared-strings
// table and one row at a time, so these bound it whatever the file: a workbook past one of
// them is refused (TOO_LARGE) as soon as the reader meets it, naming the limit. SheetJS,
// which reads a workbook whole (several times its unpacked size in memory), is only given
// workbooks up to maxWholeBytes unpacked.

import { ImportError } from '../../errors.js';

export interface XlsxLimits {
  /** XLSX_MAX_SHARED_STRINGS: distinct texts in the workbook's shared-strings table. */
  maxSharedStrings: number;
  /** XLSX_MAX_SHARED_STRINGS_MB: their total length, in MiB of characters. */
  maxSharedStringChars: number;
  /** XLSX_MAX_CELL_KB: one cell's (or shared string's) text, in KiB of characters. */
  maxCellChars: number;
  /** XLSX_MAX_WHOLE_MB: unpacked size up to which a workbook the streaming reader cannot read is read whole. */
  maxWholeBytes: number;
}

export const DEFAULT_XLSX_LIMITS: XlsxLimits = {
  // MAX_ROWS_ALLOWED rows of 10 distinct texts; Excel's own exports of such sheets are far smaller.
  maxSharedStrings: 5_000_000,
  maxSharedStringChars: 100 * 1024 * 1024,
  maxCellChars: 1024 * 1024,
  maxWholeBytes: 50 * 1024 * 1024,
};

/** Excel's own bound on columns (A..XFD): a cell past it is no spreadsheet's. */
export const MAX_SHEET_COLUMNS = 16_384;
/** XML nesting: a sheet is `worksheet/sheetData/row/c/is/r/t`, eight deep at most in practice. */
export const MAX_XML_DEPTH = 64;

const mib = (n: number): string => String(Math.round((n / (1024 * 1024)) * 10) / 10);
const kib = (n: number): string => String(Math.round(n / 1024));

/** The refusal for a limit: one line naming it and what to do. */
export function xlsxTooLarge(file: string, what: string, env?: string): ImportError {
  return new ImportError('TOO_LARGE', `${file} is too large to read: ${what}`, {
    file,
    hint: env
      ? `export the sheet as CSV, or raise ${env} if the machine has the memory`
      : 'export the sheet as CSV, or save it again in Excel or LibreOffice',
  });
}

export const limitText = { mib, kib };
