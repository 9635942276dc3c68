// The shapes the API exposes: what the library's steps return and the server sends, after the
// seed spec's lib/types.ts (AnalysisSummary, PreviewRow, ColumnMapping, ImportResult…) plus the
// additions SPEC.md §3 makes to them. Everything else lives next to the code that owns it —
// fields and Contact in contacts/fields.ts, STORAGE_KEYS in state/session-keys.ts, file formats
// and records in records/, the session's stored records in pipeline/ — and index.ts re-exports it.

import type { FieldKey, Mapping } from './contacts/fields.js';
import type { NextStep } from './errors.js';
import type { FileFormat } from './records/file-format.js';

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

export type AnalysisStatus = 'analyzing' | 'complete' | 'error';

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

/** Progress events the long-running steps emit, for bars and the state store. */
export interface ProgressEvent {
  phase: 'upload' | 'analyze' | 'validate' | 'import' | 'preview';
  rows: number;
  bytes: number;
  totalBytes?: number;
}
export type ProgressListener = (event: ProgressEvent) => void;

/** Preview's default page size (the seed's), and the largest page a caller may ask for. */
export const PREVIEW_PAGE_SIZE = 100;
export const MAX_PREVIEW_PAGE_SIZE = 1000;
