import type { AnalysisProgress, StoredAnalysis } from './stored-analysis.js';
import type { AnalysisSummary, StatusResult } from '../types.js';
import { STORAGE_KEYS } from '../state/session-keys.js';
import type { Context } from './context.js';
import { notAnalyzed, requireUpload } from './session.js';

/** A running analysis writes progress twice a second; this much silence means it died. */
const STALE_AFTER_MS = 60_000;

/** Progress of a running analysis, or its result: readable from any process sharing the state. */
export async function status(ctx: Context, fileId: string): Promise<StatusResult> {
  await requireUpload(ctx, fileId);
  const progress = await ctx.state.get<AnalysisProgress>(STORAGE_KEYS.progress(fileId));
  if (!progress) throw notAnalyzed(fileId);
  const percent =
    progress.status === 'complete'
      ? 100
      : progress.totalBytes && progress.bytesRead
        ? Math.min(99, Math.floor((progress.bytesRead / progress.totalBytes) * 100))
        : 0;
  const result: StatusResult = { status: progress.status, progress: percent, processed: progress.processed };
  if (progress.status === 'complete') {
    const analysis = await ctx.state.get<StoredAnalysis>(STORAGE_KEYS.analysis(fileId));
    if (analysis) result.summary = summaryOf(analysis);
  }
  if (progress.message) result.message = progress.message;
  const silentFor = Date.now() - Date.parse(progress.updatedAt);
  if (progress.status === 'analyzing' && silentFor > STALE_AFTER_MS) {
    result.message = `no progress for ${Math.round(silentFor / 1000)} s: the analysis may have been stopped; analyze the file again`;
    result.next = { step: 'analyze', fileId };
  }
  return result;
}

/** The analysis without its sample rows: what analyze prints and status returns. */
export function summaryOf(analysis: StoredAnalysis): AnalysisSummary {
  const { sampleRows: _sample, ...summary } = analysis;
  return summary;
}
