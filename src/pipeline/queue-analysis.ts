import { ImportError } from '../errors.js';
import type { AnalysisProgress } from './stored-analysis.js';
import { STORAGE_KEYS } from '../state/session-keys.js';
import type { Context } from './context.js';
import { requireUpload } from './session.js';

/**
 * Records that an analysis of `fileId` is on its way (queued for a job runner), so `status`
 * from any process shows it as analyzing from the moment it is asked for. Fails at once, as
 * analyze would, when there is nothing to analyze: an unknown session, another file's key, or
 * an upload whose bytes have not arrived.
 */
export async function queueAnalysis(ctx: Context, fileId: string, options: { s3Key?: string } = {}): Promise<void> {
  const upload = await requireUpload(ctx, fileId);
  if (options.s3Key !== undefined && options.s3Key !== upload.key) {
    throw new ImportError('USAGE', `s3Key "${options.s3Key}" is not the key of ${fileId} (${upload.key})`, {
      hint: 'send the s3Key the upload returned, or leave it out',
    });
  }
  if (upload.kind === 'pending' && !(await ctx.files.stat(upload.key))) {
    throw new ImportError('NOT_FOUND', `the upload for ${fileId} has not arrived yet (nothing at ${upload.key})`, {
      hint: 'send the file to its upload URL first',
    });
  }
  await writeProgress(ctx, fileId, { status: 'analyzing', processed: 0, bytesRead: 0, totalBytes: upload.size });
}

/** Marks a queued analysis that will not run (the runner stopped first) as failed, with the reason. */
export async function abandonAnalysis(ctx: Context, fileId: string, message: string): Promise<void> {
  await writeProgress(ctx, fileId, { status: 'error', processed: 0, message });
}

function writeProgress(ctx: Context, fileId: string, progress: Omit<AnalysisProgress, 'updatedAt'>): Promise<void> {
  const record: AnalysisProgress = { ...progress, updatedAt: new Date().toISOString() };
  return ctx.state.set(STORAGE_KEYS.progress(fileId), record, ctx.config.ttlSeconds);
}
