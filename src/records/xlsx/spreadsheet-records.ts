// XLSX/XLS → records. An XLSX is streamed: spooled once to a temporary file (a ZIP is read
// from its end), its sheet parsed as it is read (streamed-xlsx-sheet.ts). Legacy XLS, and
// the rare XLSX the streaming reader leaves alone (not-streamable.ts), are read whole by
// SheetJS, but only up to XlsxLimits.maxWholeBytes unpacked: SheetJS needs many times that
// in memory. Either way sheet-records.ts turns the rows into records.

import { ImportError } from '../../errors.js';
import type { ByteSource } from '../byte-source.js';
import { checkWorkbookZip } from './zip/check-workbook-zip.js';
import { NotStreamable } from './not-streamable.js';
import type { ReadOptions, RecordSource } from '../record-source.js';
import { readSheetRecords } from './sheet-records.js';
import { openSheetJsSheet } from './sheetjs-sheet.js';
import { spoolToFile } from './zip/spool-file.js';
import { openStreamedSheet } from './streamed-xlsx-sheet.js';
import { DEFAULT_XLSX_LIMITS, limitText, xlsxTooLarge } from './xlsx-limits.js';

export type SpreadsheetKind = 'xlsx' | 'xls';

/** `kind` was decided once, from the first bytes (at upload, or by readRecords). */
export async function readSpreadsheetRecords(
  source: ByteSource,
  kind: SpreadsheetKind,
  options: ReadOptions,
): Promise<RecordSource> {
  const file = options.fileName;
  const bytesRead = (): number => source.bytesRead();
  const maxWhole = (options.xlsxLimits ?? DEFAULT_XLSX_LIMITS).maxWholeBytes;
  if (kind === 'xls') {
    const bytes = await source.readAll();
    checkNotEmpty(bytes.length, file);
    if (bytes.length > maxWhole) throw tooLargeToReadWhole(file, 'an XLS workbook is read whole', bytes.length, maxWhole);
    return readSheetRecords(await openSheetJsSheet(bytes, kind, options, bytesRead), options);
  }

  const spool = await spoolToFile(source, file);
  let streaming = false;
  try {
    checkNotEmpty(spool.size, file);
    // Zip bombs, non-workbook archives and DTDs are refused before anything is parsed.
    const entries = await checkWorkbookZip(spool, file);
    try {
      const sheet = await openStreamedSheet(spool, entries, options, bytesRead);
      // The first pass reads the whole sheet, so whatever the streaming reader cannot read
      // is found here, before any record is given out; from now on the records close the file.
      const records = await readSheetRecords(sheet, options);
      streaming = true;
      return records;
    } catch (error) {
      if (!(error instanceof NotStreamable)) throw error;
      const unpacked = entries.reduce((sum, entry) => sum + entry.uncompressedSize, 0);
      if (unpacked > maxWhole) throw tooLargeToReadWhole(file, `it must be read whole (${error.message})`, unpacked, maxWhole);
    }
    const bytes = spool.read(0, spool.size);
    spool.close();
    return await readSheetRecords(await openSheetJsSheet(bytes, kind, options, bytesRead), options);
  } finally {
    if (!streaming) spool.close();
  }
}

function tooLargeToReadWhole(file: string, why: string, size: number, max: number): Error {
  return xlsxTooLarge(
    file,
    `${why}, and at ${limitText.mib(size)} MiB unpacked it is over the ${limitText.mib(max)} MiB limit for that`,
    'XLSX_MAX_WHOLE_MB',
  );
}

function checkNotEmpty(size: number, file: string): void {
  if (size === 0) {
    throw new ImportError('EMPTY_FILE', `${file} is empty`, {
      file,
      hint: 'upload a file with a header row and at least one contact',
    });
  }
}
