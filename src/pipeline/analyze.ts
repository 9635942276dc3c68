import { compileMapping } from '../contacts/compile-mapping.js';
import { suggestMapping } from '../contacts/suggest-mapping.js';
import { ImportError, toImportError } from '../errors.js';
import { ColumnProfiler } from '../profile/column-profiler.js';
import type { AnalysisSummary, ProgressListener, StoredAnalysis } from '../types.js';
import { STORAGE_KEYS } from '../types.js';
import { AnalysisSample } from './analysis-sample.js';
import type { Context } from './context.js';
import { eachCheckedRow } from './each-checked-row.js';
import { openFileRecords } from './open-file-records.js';
import { ProgressWriter } from './progress-writer.js';
import { requireUpload } from './session.js';

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
}

/**
 * Streams the file once: per-column profile, validity under the suggested mapping, duplicate
 * emails. The result (with the first rows as a sample) is kept in state for the next steps.
 */
export async function analyze(ctx: Context, fileId: string, options: AnalyzeOptions = {}): Promise<AnalysisSummary> {
  const upload = await requireUpload(ctx, fileId);
  const { sheet, encoding, delimiter, headerRow, onProgress, signal } = options;
  const progress = new ProgressWriter(ctx, fileId, upload.size);
  await progress.write({ status: 'analyzing', processed: 0, bytesRead: 0 });
  try {
    const source = await openFileRecords(ctx, upload, { sheet, encoding, delimiter, headerRow });
    const { columns } = source;
    const suggestedMapping = suggestMapping(columns);
    const plan = compileMapping(suggestedMapping, columns, { requireFields: false });
    const profiler = new ColumnProfiler(columns);
    const sample = new AnalysisSample();
    let totalRows = 0;
    let validRows = 0;
    let duplicateRows = 0;

    await eachCheckedRow(
      source.records,
      { plan, defaultCountry: ctx.config.defaultCountry, signal, interrupted: () => new ImportError('INTERRUPTED', 'analysis interrupted') },
      {
        read(record) {
          totalRows++;
          profiler.add(record.values);
          sample.add(record.row, record.values, record.problems);
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

function warningsOf(totalRows: number, fromReader: string[]): { warnings?: string[] } {
  const warnings = totalRows === 0 ? ['the file has a header row but no data rows', ...fromReader] : fromReader;
  return warnings.length > 0 ? { warnings } : {};
}
