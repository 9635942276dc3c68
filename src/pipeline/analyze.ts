import { isResultsFile, RESULTS_COLUMNS } from './results-file-input.js';
import { compileMapping } from '../contacts/compile-mapping.js';
import { suggestMapping } from '../contacts/suggest-mapping.js';
import { ImportError, toImportError } from '../errors.js';
import { ColumnProfiler } from '../profile/column-profiler.js';
import { recordBatches } from '../records/record-batches.js';
import type { SourceRecord } from '../records/record-source.js';
import { STORAGE_KEYS } from '../state/session-keys.js';
import type { AnalysisSummary, ProgressListener } from '../types.js';
import { AnalysisSample } from './analysis-sample.js';
import type { Context } from './context.js';
import type { CheckedRowCounts } from './count-rows/checked-row-counter.js';
import { startRowCounting, type RowCounting } from './count-rows/row-counting.js';
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
  /** @internal CSV files from this many bytes have their rows checked on a second thread (default THREAD_MIN_BYTES; tests set 0). */
  threadMinBytes?: number;
}

/**
 * From this size a CSV file's rows are checked on a second thread. Measured on realistic files
 * (two cores): 50k rows (6 MB) 5–10% slower, as the thread's start and warm-up eat the gain,
 * and 35 MB more; 100k rows (12 MB) 10–15% faster for 15–40 MB more; 200k rows ≈ 20%, 1M
 * rows 40–50% (3.8–4.1 s against 6.9–7.3 s). A spreadsheet's reading dominates its analysis:
 * at 100k rows (19 MB of XLSX) the thread saved no time and cost 70 MB.
 */
const THREAD_MIN_BYTES = 10 * 1024 * 1024;

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
    const { filled, batches } = await readAhead(recordBatches(source), columns.length, SAMPLE_ROWS_COUNT);
    // A rejected-rows file's own columns (_row, _field, _reason) are never suggested.
    const suggestedMapping = suggestMapping(isResultsFile(columns) ? columns.slice(0, -RESULTS_COLUMNS.length) : columns, filled);
    const plan = compileMapping(suggestedMapping, columns, { requireFields: false });
    const profiler = new ColumnProfiler(columns);
    const sample = new AnalysisSample();
    const rules = { plan, defaultCountry: ctx.config.defaultCountry, onInvalidValue: ctx.config.onInvalidValue };
    // This thread reads and profiles; a big CSV file's rows are checked on a second one meanwhile.
    const thread = source.format.type === 'csv' && upload.size >= (options.threadMinBytes ?? THREAD_MIN_BYTES);
    const counting = startRowCounting(rules, { thread });
    const { totalRows, validRows, duplicateRows } = await scanRecords(batches, { profiler, sample, counting }, signal, (rows) => {
      onProgress?.({ phase: 'analyze', rows, bytes: source.bytesRead(), totalBytes: source.totalBytes });
      return progress.tick(rows, source.bytesRead());
    });
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

/**
 * Reads every record: profiled and sampled here, checked by `counting`; every 1024 rows the
 * signal is looked at and `tick` called. The thread, if any, is closed however it ends.
 */
async function scanRecords(
  batches: AsyncIterable<SourceRecord[]>,
  { profiler, sample, counting }: { profiler: ColumnProfiler; sample: AnalysisSample; counting: RowCounting },
  signal: AbortSignal | undefined,
  tick: (rows: number) => Promise<void> | undefined,
): Promise<{ totalRows: number } & CheckedRowCounts> {
  let totalRows = 0;
  try {
    for await (const batch of batches) {
      for (const record of batch) {
        totalRows++;
        profiler.add(record.values);
        sample.add(record);
        const behind = counting.add(record);
        if (behind) await behind;
        if ((totalRows & 1023) === 0) {
          if (signal?.aborted) throw new ImportError('INTERRUPTED', 'analysis interrupted');
          const ticked = tick(totalRows);
          if (ticked) await ticked;
        }
      }
    }
    return { totalRows, ...(await counting.finish()) };
  } finally {
    await counting.close();
  }
}

/**
 * Reads batches until the first `count` records are in, counting non-blank values per column
 * among them, and replays those batches before the rest.
 */
async function readAhead(
  source: AsyncIterable<SourceRecord[]>,
  width: number,
  count: number,
): Promise<{ filled: number[]; batches: AsyncIterable<SourceRecord[]> }> {
  const iterator = source[Symbol.asyncIterator]();
  const buffered: SourceRecord[][] = [];
  const filled = new Array<number>(width).fill(0);
  let seen = 0;
  let done = false;
  while (seen < count) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    buffered.push(next.value);
    for (const record of next.value) {
      if (seen++ === count) break;
      record.values.forEach((v, i) => {
        if (v.trim() !== '') filled[i]!++;
      });
    }
  }
  async function* batches(): AsyncGenerator<SourceRecord[]> {
    try {
      yield* buffered;
      buffered.length = 0;
      if (done) return;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
    } finally {
      await iterator.return?.();
    }
  }
  return { filled, batches: batches() };
}

function warningsOf(totalRows: number, fromReader: string[]): { warnings?: string[] } {
  const warnings = totalRows === 0 ? ['the file has a header row but no data rows', ...fromReader] : fromReader;
  return warnings.length > 0 ? { warnings } : {};
}
