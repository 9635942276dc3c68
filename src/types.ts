// Data shapes shared by the library, the CLI and the adapters. They follow the seed spec's
// lib/types.ts (AnalysisSummary, PreviewRow, ColumnMapping, ImportResult, SYSTEM_FIELDS,
// STORAGE_KEYS) plus the additions SPEC.md §3 makes to them.

import type { NextStep } from './errors.js';

export type FieldKey =
  | 'email'
  | 'firstName'
  | 'lastName'
  | 'phone'
  | 'company'
  | 'title'
  | 'address'
  | 'city'
  | 'state'
  | 'country'
  | 'zipCode'
  | 'notes';

export interface SystemField {
  key: FieldKey;
  label: string;
  required: boolean;
  type: 'email' | 'phone' | 'text';
  /** Column name in the contacts table. */
  column: string;
}

export const SYSTEM_FIELDS: readonly SystemField[] = [
  { key: 'email', label: 'Email', required: true, type: 'email', column: 'email' },
  { key: 'firstName', label: 'First Name', required: true, type: 'text', column: 'first_name' },
  { key: 'lastName', label: 'Last Name', required: false, type: 'text', column: 'last_name' },
  { key: 'phone', label: 'Phone', required: false, type: 'phone', column: 'phone' },
  { key: 'company', label: 'Company', required: false, type: 'text', column: 'company' },
  { key: 'title', label: 'Job Title', required: false, type: 'text', column: 'title' },
  { key: 'address', label: 'Address', required: false, type: 'text', column: 'address' },
  { key: 'city', label: 'City', required: false, type: 'text', column: 'city' },
  { key: 'state', label: 'State/Province', required: false, type: 'text', column: 'state' },
  { key: 'country', label: 'Country', required: false, type: 'text', column: 'country' },
  { key: 'zipCode', label: 'Zip/Postal Code', required: false, type: 'text', column: 'zip_code' },
  { key: 'notes', label: 'Notes', required: false, type: 'text', column: 'notes' },
];

/** A normalized contact, ready to store: every mapped field, trimmed; unmapped fields absent. */
export type Contact = { email: string; firstName: string } & Partial<Record<FieldKey, string>>;

/**
 * What a column can be mapped to: a field, or `fullName`, a whole name split into firstName
 * and lastName (see splitFullName).
 */
export type MappingField = FieldKey | 'fullName';

/** Column header → field key. Columns left out are not imported. */
export type Mapping = Record<string, MappingField>;

export const STORAGE_KEYS = {
  analysis: (fileId: string) => `analysis:${fileId}`,
  progress: (fileId: string) => `analysis:${fileId}:progress`,
  mapping: (fileId: string) => `mapping:${fileId}`,
  /** Added to the seed's keys: what `upload` stored, so later steps can find the file. */
  upload: (fileId: string) => `upload:${fileId}`,
};

export type FileKind = 'csv' | 'xlsx' | 'xls';

/** How a file was read; reported by analyze and reused by preview and import. */
export interface FileFormat {
  type: FileKind;
  encoding: string;
  delimiter?: string;
  sheet?: string;
  /** 1-based line (CSV) or sheet row of the header; set when rows above it were skipped or it was chosen. */
  headerRow?: number;
}

/** What `upload` stored, kept in state under STORAGE_KEYS.upload(fileId). */
export interface UploadRecord {
  fileId: string;
  key: string;
  storage: 'local' | 's3';
  bucket?: string;
  /** Bytes stored; for a presigned upload not yet read, the size the client declared. */
  size: number;
  fileName: string;
  /**
   * Decided once from the first bytes and trusted by every later read. 'pending': a presigned
   * upload whose bytes have not been read yet; the first read sniffs them (as it does for a
   * record without a kind, written by an older version).
   */
  kind?: FileKind | 'pending';
  /** SHA-256 of the stored bytes (hex); unknown for presigned uploads. */
  sha256?: string;
  uploadedAt: string;
  /** Presigned uploads: the Content-Type the PUT must send, and when the URL expires. */
  contentType?: string;
  expiresAt?: string;
}

/** What `upload --presign` prints (seed Task 7, plus how long the URL is valid). */
export interface PresignResult {
  uploadUrl: string;
  fileId: string;
  s3Key: string;
  expiresIn: number;
}

/**
 * Content types a presigned upload may declare: the seed's three, plus TSV and plain text
 * (Excel's "Text (Tab delimited)" / "Unicode Text" exports, which the readers handle). The
 * kind is still sniffed from the bytes; this only keeps obvious non-spreadsheets out early.
 */
export const ALLOWED_MIME_TYPES: readonly string[] = [
  'text/csv',
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'text/tab-separated-values',
  'text/plain',
];

export interface UploadResult {
  fileId: string;
  key: string;
  storage: 'local' | 's3';
  bucket?: string;
  size: number;
  fileName: string;
}

export type InferredType = 'email' | 'phone' | 'number' | 'date' | 'text' | 'empty';

export interface ColumnStats {
  filled: number;
  empty: number;
  unique: number;
  /** Set when `unique` is a HyperLogLog estimate (within 1%) rather than an exact count. */
  uniqueEstimated?: boolean;
  /** First distinct non-blank values, at most 5. */
  samples: string[];
  type?: InferredType;
}

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

export interface SampleRow {
  _rowIndex: number;
  values: string[];
  problems?: string[];
  cellErrors?: CellError[];
}

export interface AnalysisSummary {
  fileId: string;
  s3Key: string;
  fileName: string;
  totalRows: number;
  validRows: number;
  invalidRows: number;
  duplicateRows: number;
  columns: string[];
  columnSummary: Record<string, ColumnStats>;
  suggestedMapping: Mapping;
  format: FileFormat;
  /**
   * How the file was read, when a user should know: no data rows, rows skipped above the
   * header, control characters removed, rows with undecodable bytes.
   */
  warnings?: string[];
}

/** The analysis as kept in state: the summary plus the first rows, for `map` and quick previews. */
export interface StoredAnalysis extends AnalysisSummary {
  sampleRows: SampleRow[];
}

export type AnalysisStatus = 'analyzing' | 'complete' | 'error';

export interface AnalysisProgress {
  status: AnalysisStatus;
  processed: number;
  bytesRead?: number;
  totalBytes?: number;
  message?: string;
  updatedAt: string;
}

export interface StatusResult {
  status: AnalysisStatus;
  /** Percent of the file read, 0–100. */
  progress: number;
  processed: number;
  summary?: AnalysisSummary;
  message?: string;
  /** The step that gets past what the message says (a stalled analysis: analyze again). */
  next?: NextStep;
}

export interface ColumnMapping {
  mapping: Mapping;
  s3Key: string;
  fileId: string;
}

export interface MapResult {
  success: boolean;
  mapping: Mapping;
  validRows: number;
  invalidRows: number;
}

export interface PreviewRow {
  _rowIndex: number;
  _isValid: boolean;
  _errors: string[];
  /** Data row this row's email already appeared on (the first occurrence wins on import). */
  _duplicateOf?: number;
  /** Values the row is imported without (onInvalidValue blank), and error cells read as empty. */
  _warnings?: string[];
  [field: string]: unknown;
}

export interface PreviewResult {
  rows: PreviewRow[];
  total: number;
  page: number;
  pageSize: number;
}

export interface RowError {
  row: number;
  message: string;
}

/** What happened to a file's rows; `skipped = invalid + duplicates + excluded`. */
export interface ImportCounts {
  totalRows: number;
  imported: number;
  updated: number;
  skipped: number;
  invalid: number;
  duplicates: number;
  excluded: number;
}

export interface ImportResult extends ImportCounts {
  success: boolean;
  importId: string;
  errors: RowError[];
  /** Values left out of imported contacts (onInvalidValue 'blank'): how many, and the first 100. */
  blankedValues?: number;
  blanked?: BlankedRowValue[];
  /** Notes that changed no row's outcome (error cells in mapped columns read as empty), first 100. */
  warnings?: string[];
  errorReport: string | null;
  /** The imported rows with their contact ids, when asked for (--imported-out). */
  importedReport: string | null;
  /** Present when an unfinished run was resumed: rows of the file its checkpoint accounted for. */
  resumedFrom?: number;
  /** Present when this file had already been imported into the table: its counts, nothing done. */
  alreadyImported?: true;
  dryRun?: boolean;
}

export type OnDuplicate = 'skip' | 'update';

/** A bad optional value an import left out of the contact it imported (onInvalidValue 'blank'). */
export interface BlankedRowValue {
  row: number;
  field: FieldKey;
  value: string;
  message: string;
}

/**
 * What a bad value in an optional field (phone, or text no database can store) does to its
 * row: 'reject' (default) makes the row invalid; 'blank' imports the contact without that
 * value and reports the value and the reason.
 */
export type OnInvalidValue = 'reject' | 'blank';

/** Progress events the long-running steps emit, for bars and the state store. */
export interface ProgressEvent {
  phase: 'upload' | 'analyze' | 'validate' | 'import' | 'preview';
  rows: number;
  bytes: number;
  totalBytes?: number;
}
export type ProgressListener = (event: ProgressEvent) => void;

/** Rows of the file kept with the analysis, for `map` to report validity quickly. */
export const SAMPLE_ROWS_COUNT = 1000;
export const PREVIEW_PAGE_SIZE = 100;
export const MAX_PREVIEW_PAGE_SIZE = 1000;
