// The one entry point from bytes to records: downstream code never needs to know whether
// the file was CSV text or a workbook.

import type { Readable } from 'node:stream';
import { ByteSource } from './byte-source.js';
import { readCsvRecords } from './csv/csv-records.js';
import type { ReadOptions, RecordSource } from './record-source.js';
import { readSpreadsheetRecords } from './xlsx/spreadsheet-records.js';

/**
 * Reads `input` up to and including the header row and resolves with the columns and the
 * format; `records` then pulls the data rows from the input as it is iterated.
 */
export async function readRecords(input: Readable, options: ReadOptions): Promise<RecordSource> {
  const source = new ByteSource(input, options.fileName);
  try {
    return options.kind === 'csv'
      ? await readCsvRecords(source, options)
      : await readSpreadsheetRecords(source, options);
  } catch (error) {
    source.close();
    throw error;
  }
}
