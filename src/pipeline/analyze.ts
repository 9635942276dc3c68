import { isResultsFile, RESULTS_COLUMNS } from './results-file-input.js';
import { compileMapping } from '../contacts/compile-mapping.js';
import { suggestMapping } from '../contacts/suggest-mapping.js';
import { ImportError, toImportError } from '../errors.js';
import { ColumnProfiler } from '../profile/column-profiler.js';
import type { SourceRecord } from '../records/record-source.js';
import { STORAGE_KEYS } from '../state/session-keys.js';
import type { AnalysisSummary, ProgressListener } from '../types.js';
import { AnalysisSample } from './analysis-sample.js';
import type { Context } from './context.js';
import { eachCheckedRow } from './each-checked-row.js';
import { openFileRecords } from './open-file-records.js';
import { ProgressWriter } from './progress-writer.js';
import { requireUpload } from './session.js';
import { SAMPLE_ROWS_COUNT, type StoredAnalysis } from './stored-analysis.js';

export interface AnalyzeOptions {
  /** Spreadsheet sheet by name or 1-based index. */
  sheet?: string;
  encoding?: string;
  delimiter?: string;
  /** 1-based line (CSV) or sheet row of the header; default detected. */
  headerRow?: number;
  /**
   * Delete the stored file when the file itself is refused (exit 2): for the one-step forms
   * (`analyze <path>`, `run`), where no fileId was shown and the user re-runs with the path.
   */
  discardRefusedFile?: boolean;
  onProgress?: ProgressListener;
  signal?: AbortSignal;
  /** Shown by status while the analysis runs, e.g. that it was restarted after its worker stopped. */
  note?: string;
}

/**
 * Streams the file once: per-column profile, validity under the suggested mapping, duplicate
 * emails. The result (with the first rows as a sample) is kept in state for the next steps.
 */
export async function analyze(ctx: Context, fileId: string, options: AnalyzeOptions = {}): Promise<AnalysisSummary> {
  const upload = await requireUpload(ctx, fileId);
  const { sheet, encoding, delimiter, headerRow, onProgress, signal } = options;
  const progress = new ProgressWriter(ctx, fileId, upload.size, options.note);
  await progress.write({ status: 'analyzing', processed: 0, bytesRead: 0 });
  try {
    const source = await openFileRecords(ctx, upload, { sheet, encoding, delimiter, headerRow });
    const { columns } = source;
    // The first rows are read ahead so the suggestion can prefer filled columns (a Home block
    // over an empty Work block); the loop then reads them from the buffer.
    const { filled, records } = await readAhead(source.records, columns.length, SAMPLE_ROWS_COUNT);
    // A rejected-rows file's own columns (_row, _field, _reason) are never suggested.
    const suggestedMapping = suggestMapping(isResultsFile(columns) ? columns.slice(0, -RESULTS_COLUMNS.length) : columns, filled);
    const plan = compileMapping(suggestedMapping, columns, { requireFields: false });
    const profiler = new ColumnProfiler(columns);
    const sample = new AnalysisSample();
    let totalRows = 0;
    let validRows = 0;
    let duplicateRows = 0;

    await eachCheckedRow(
      records,
      { plan, defaultCountry: ctx.config.defaultCountry, onInvalidValue: ctx.config.onInvalidValue, signal, interrupted: () => new ImportError('INTERRUPTED', 'analysis interrupted') },
      {
        read(record) {
          totalRows++;
          profiler.add(record.values);
          sample.add(record);
        },
        valid() {
          validRows++;
        },
        duplicate() {
          validRows++;
          duplicateRows++;
        },
        tick() {
          onProgress?.({ phase: 'analyze', rows: totalRows, bytes: source.bytesRead(), totalBytes: source.totalBytes });
          return progress.tick(totalRows, source.bytesRead());
        },
      },
    );
    onProgress?.({ phase: 'analyze', rows: totalRows, bytes: source.totalBytes, totalBytes: source.totalBytes });

    const summary: AnalysisSummary = {
      fileId,
      s3Key: upload.key,
      fileName: upload.fileName,
      totalRows,
      validRows,
      invalidRows: totalRows - validRows,
      duplicateRows,
      columns,
      columnSummary: profiler.result(),
      suggestedMapping,
      format: source.format,
      ...warningsOf(totalRows, source.warnings()),
    };
    const stored: StoredAnalysis = { ...summary, sampleRows: sample.rows };
    await ctx.state.set(STORAGE_KEYS.analysis(fileId), stored, ctx.config.ttlSeconds);
    await progress.write({ status: 'complete', processed: totalRows, bytesRead: source.totalBytes });
    return summary;
  } catch (error) {
    const failure = toImportError(error, `cannot analyze ${upload.fileName}`);
    // A failed analysis leaves no stale result behind for map/preview/import to trust.
    await ctx.state.delete(STORAGE_KEYS.analysis(fileId)).catch(() => undefined);
    await progress.write({ status: 'error', processed: 0, message: failure.describe() }).catch(() => undefined);
    if (options.discardRefusedFile && failure.exitCode === 2) await ctx.files.delete(upload.key).catch(() => undefined);
    throw failure;
  }
}

/** Buffers the first `count` records, counting non-blank values per column, and replays them. */
async function readAhead(
  source: AsyncIterable<SourceRecord>,
  width: number,
  count: number,
): Promise<{ filled: number[]; records: AsyncIterable<SourceRecord> }> {
  const iterator = source[Symbol.asyncIterator]();
  const buffered: SourceRecord[] = [];
  const filled = new Array<number>(width).fill(0);
  let done = false;
  while (buffered.length < count) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    buffered.push(next.value);
    next.value.values.forEach((v, i) => {
      if (v.trim() !== '') filled[i]!++;
    });
  }
  async function* records(): AsyncGenerator<SourceRecord> {
    try {
      yield* buffered;
      buffered.length = 0;
      if (done) return;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
    } finally {
      await iterator.return?.();
    }
  }
  return { filled, records: records() };
}

function warningsOf(totalRows: number, fromReader: string[]): { warnings?: string[] } {
  const warnings = totalRows === 0 ? ['the file has a header row but no data rows', ...fromReader] : fromReader;
  return warnings.length > 0 ? { warnings } : {};
}
