import type { FileFormat, FileKind } from './file-format.js';
import type { XlsxLimits } from './xlsx/xlsx-limits.js';

/**
 * One data row as read from the file: its values aligned to the header's columns. Rows are
 * arrays, not header-keyed objects, so a header named `__proto__` can never reach a prototype.
 */
export interface SourceRecord {
  /** 1-based data row (header excluded). */
  row: number;
  /** 1-based physical line (CSV) or sheet row (spreadsheets) where the record starts. */
  line: number;
  /** Exactly one value per column; short rows are padded with ''. */
  values: string[];
  /** Structural problems (e.g. too many fields) that make the row invalid whatever the mapping. */
  problems?: string[];
  /**
   * Spreadsheet error cells (#DIV/0!, #N/A…), read as '': a warning for a mapped column,
   * nothing for an unmapped one; never a reason to reject the row by themselves.
   */
  cellErrors?: CellError[];
}

export interface CellError {
  /** 0-based column. */
  column: number;
  /** e.g. 'cell D4 has the error #N/A'. */
  message: string;
}

export interface ReadOptions {
  /** What the bytes are: checked against their first bytes (unless kindDetected); detected when absent. */
  kind?: FileKind;
  /** `kind` was detected from these very bytes (at upload): trusted, not detected again. */
  kindDetected?: boolean;
  /** Shown in error messages. */
  fileName: string;
  /** Overrides detection (an iconv-lite encoding name). */
  encoding?: string;
  /** Overrides detection (one character; '\t' for TAB). */
  delimiter?: string;
  /** Spreadsheet sheet, by name or 1-based index; default the first sheet. */
  sheet?: string;
  /** 1-based line (CSV) or sheet row of the column names; default detected (see find-header-row.ts). */
  headerRow?: number;
  /** CSV: a record whose fields hold more bytes than this is one invalid row; default 1 MiB (MAX_RECORD_BYTES). */
  maxRecordSize?: number;
  /** More data rows than this: TOO_LARGE. */
  maxRows?: number;
  /** What a spreadsheet may hold in memory; default DEFAULT_XLSX_LIMITS. */
  xlsxLimits?: XlsxLimits;
  /** A format detected earlier (by analyze): reused as is so every step reads the file alike. */
  format?: FileFormat;
}

/** Any supported file as one stream of records: the header's columns, then data rows. */
export interface RecordSource {
  /** Header names, made unique and non-empty. */
  columns: string[];
  format: FileFormat;
  /** Single use; iterating pulls from the file with backpressure. */
  records: AsyncIterable<SourceRecord>;
  /**
   * The same records a batch at a time, where the reader takes the file in chunks (CSV: a
   * batch per 64 KiB read), for a consumer that handles them synchronously: no async step per
   * record. Either this or `records` is iterated, once (see recordBatches).
   */
  batches?: AsyncIterable<SourceRecord[]>;
  /** Bytes consumed from the input so far, for progress. */
  bytesRead(): number;
  /**
   * What a user should know about how the file was read (rows skipped above the header,
   * control characters removed, undecodable bytes); complete once the records are read.
   */
  warnings(): string[];
}
