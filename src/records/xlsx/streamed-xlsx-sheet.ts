// The streaming XLSX reader's side of a sheet: the workbook's layout, shared strings and
// styles are read up front; the sheet's rows are parsed from the spooled file on each pass.

import type { ReadOptions } from '../record-source.js';
import { chooseSheet } from './choose-sheet.js';
import { parseCellFormats } from './cells/cell-formats.js';
import { NotStreamable } from './not-streamable.js';
import type { SpooledFile } from './zip/spool-file.js';
import { readSharedStrings, SharedStrings } from './cells/shared-strings.js';
import { DEFAULT_XLSX_LIMITS, limitText, xlsxTooLarge } from './xlsx-limits.js';

/** The parts read whole, as one string: the workbook's description and its styles. */
const readWhole = (name: string): boolean => name.endsWith('.rels') || /(^\[Content_Types\]|workbook|styles)\.xml$/.test(name);
import type { Sheet } from './sheet-records.js';
import { sheetXmlRows } from './sheet-xml-rows.js';
import { unreadableSpreadsheet } from './unreadable-spreadsheet.js';
import { readWorkbookLayout } from './workbook-layout.js';
import type { ZipEntry } from './zip/read-zip-entries.js';
import { readZipPart, streamZipPart } from './zip/zip-part.js';

export async function openStreamedSheet(
  zip: SpooledFile,
  entries: readonly ZipEntry[],
  options: ReadOptions,
  bytesRead: () => number,
): Promise<Sheet> {
  const file = options.fileName;
  const limits = options.xlsxLimits ?? DEFAULT_XLSX_LIMITS;
  for (const entry of entries) {
    if (readWhole(entry.name) && entry.uncompressedSize > limits.maxWholeBytes) {
      throw xlsxTooLarge(
        file,
        `its part ${entry.name} is ${limitText.mib(entry.uncompressedSize)} MiB unpacked, over the ${limitText.mib(limits.maxWholeBytes)} MiB limit for a part read whole`,
        'XLSX_MAX_WHOLE_MB',
      );
    }
  }
  const layout = readWorkbookLayout(zip, entries);
  const earlier = options.format?.type === 'xlsx' ? options.format : undefined;
  const names = layout.sheets.map((sheet) => sheet.name);
  const name = chooseSheet(names, options.sheet ?? earlier?.sheet, file);
  const chosen = layout.sheets[names.indexOf(name)]!;
  if (!chosen.worksheet) throw new NotStreamable(`sheet "${name}" is not a worksheet`);
  const part = chosen.part;
  if (part === undefined) throw unreadableSpreadsheet(file, 'xlsx', `sheet "${name}" is missing`);
  if (!part.name.endsWith('.xml')) throw new NotStreamable(`sheet "${name}" is not XML`);

  // Loaded here, not at the top: CSV-only commands never pay for SheetJS's number formats.
  const { SSF } = await import('xlsx');
  const styles = layout.styles;
  const formats = parseCellFormats(SSF, styles?.name ?? '', styles && readZipPart(zip, styles));
  const strings =
    layout.sharedStrings === undefined ? new SharedStrings().finish() : await readSharedStrings(zip, layout.sharedStrings, file, limits);
  const context = { file, part: part.name, strings, formats, date1904: layout.date1904, limits };
  return {
    kind: 'xlsx',
    name,
    rows: (needText) => sheetXmlRows(streamZipPart(zip, part), context, needText),
    bytesRead,
    close: () => zip.close(),
  };
}
