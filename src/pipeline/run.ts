import { ImportError } from '../errors.js';
import type { ImportResult } from '../types.js';
import { analyze, type AnalyzeOptions } from './analyze.js';
import { checkOutputPaths } from './check-output-paths.js';
import type { Context } from './context.js';
import { importContacts, type ImportOptions } from './import.js';
import { hasMappingChoice, resolveMapping, saveMapping, type MappingChoice } from './map.js';
import { clearSession, requireAnalysis } from './session.js';
import { upload, type UploadSource } from './upload.js';

export interface RunOptions extends ImportOptions, MappingChoice, Pick<AnalyzeOptions, 'sheet' | 'encoding' | 'delimiter' | 'headerRow'> {
  /** Keep the stored copy of the file and its session, whatever the outcome (default: delete both). */
  keepUpload?: boolean;
}

export interface RunResult extends ImportResult {
  fileId: string;
}

/**
 * upload → analyze → map → import in one non-interactive step, for cron. Whatever the outcome
 * (imported, refused, failed, LOCKED, interrupted) the stored copy of the file and its session
 * are removed, so a retrying job never fills the disk; `keepUpload` keeps both (until the TTL).
 */
export async function run(ctx: Context, source: UploadSource, options: RunOptions): Promise<RunResult> {
  if (!hasMappingChoice(options)) {
    throw new ImportError('USAGE', 'run needs a mapping', {
      hint: 'pass auto, mappingFile FILE.json or template NAME',
      options: ['auto', 'mappingFile', 'template'],
    });
  }
  ctx.contacts.checkNames(options);
  await checkOutputPaths(ctx, options, 'path' in source ? source.path : undefined);
  const uploaded = await upload(ctx, source, { onProgress: options.onProgress, signal: options.signal, encoding: options.encoding });
  const { fileId } = uploaded;
  try {
    await analyze(ctx, fileId, { ...options, discardRefusedFile: true });
    const analysis = await requireAnalysis(ctx, fileId);
    const { mapping } = await resolveMapping(ctx, analysis, options);
    await saveMapping(ctx, fileId, mapping);
    const result = await importContacts(ctx, fileId, options);
    return { ...result, fileId };
  } finally {
    if (!options.keepUpload) await discardUpload(ctx, fileId, uploaded.key);
  }
}

/** Best-effort: the run's own outcome (or error) is what the caller must see. */
async function discardUpload(ctx: Context, fileId: string, key: string): Promise<void> {
  await ctx.files.delete(key).catch(() => undefined);
  await clearSession(ctx, fileId).catch(() => undefined);
}
