// The one entry point from bytes to records: downstream code never needs to know whether
// the file was CSV text or a workbook.

import type { Readable } from 'node:stream';
import { ImportError } from '../errors.js';
import type { FileKind } from './file-format.js';
import { ByteSource } from './byte-source.js';
import { readCsvRecords } from './csv/csv-records.js';
import { detectFileKind, MAGIC_HEAD_BYTES } from './detect/detect-file-kind.js';
import type { ReadOptions, RecordSource } from './record-source.js';
import { readSpreadsheetRecords } from './xlsx/spreadsheet-records.js';
import { unreadableSpreadsheet } from './xlsx/unreadable-spreadsheet.js';

/**
 * Reads `input` up to and including the header row and resolves with the columns and the
 * format; `records` then pulls the data rows from the input as it is iterated.
 */
export async function readRecords(input: Readable, options: ReadOptions): Promise<RecordSource> {
  const source = new ByteSource(input, options.fileName);
  try {
    const kind = options.kindDetected && options.kind ? options.kind : await kindOf(source, options);
    return kind === 'csv' ? await readCsvRecords(source, options) : await readSpreadsheetRecords(source, kind, options);
  } catch (error) {
    source.close();
    throw error;
  }
}

/**
 * The kind from the first bytes, for a caller that did not have them detected (the pipeline
 * did, at upload): a kind it names must match them. An empty input is left to the reader.
 */
async function kindOf(source: ByteSource, options: ReadOptions): Promise<FileKind> {
  const { head } = await source.head(MAGIC_HEAD_BYTES);
  const file = options.fileName;
  if (head.length === 0) return options.kind ?? 'csv';
  const kind = detectFileKind(head, file);
  if (options.kind === undefined || options.kind === kind) return kind;
  if (options.kind !== 'csv') throw unreadableSpreadsheet(file, options.kind, `it is not an ${options.kind.toUpperCase()} file`);
  throw new ImportError('UNSUPPORTED_FILE', `${file} is an ${kind.toUpperCase()} workbook, not CSV text`, {
    file,
    hint: 'read it as a spreadsheet (upload it again so its type is detected)',
  });
}
