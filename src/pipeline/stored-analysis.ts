import type { CellError } from '../records/record-source.js';
import type { AnalysisStatus, AnalysisSummary } from '../types.js';

/** Rows of the file kept with the analysis, for `map` to report validity quickly. */
export const SAMPLE_ROWS_COUNT = 1000;

export interface SampleRow {
  _rowIndex: number;
  values: string[];
  problems?: string[];
  cellErrors?: CellError[];
}

/**
 * The analysis as kept in state under STORAGE_KEYS.analysis(fileId): the summary plus the
 * first rows, for `map` and quick previews.
 */
export interface StoredAnalysis extends AnalysisSummary {
  sampleRows: SampleRow[];
}

/** Kept in state under STORAGE_KEYS.progress(fileId) while an analysis runs. */
export interface AnalysisProgress {
  status: AnalysisStatus;
  processed: number;
  bytesRead?: number;
  totalBytes?: number;
  message?: string;
  updatedAt: string;
}
