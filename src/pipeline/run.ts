import { ImportError } from '../errors.js';
import type { ImportResult } from '../types.js';
import { analyze, type AnalyzeOptions } from './analyze.js';
import type { Context } from './context.js';
import { importContacts, type ImportOptions } from './import.js';
import { checkMappingChoice, hasMappingChoice, resolveMapping, saveMapping, type MappingChoice } from './map.js';
import { requireAnalysis } from './session.js';
import { upload, type UploadSource } from './upload.js';

export interface RunOptions extends ImportOptions, MappingChoice, Pick<AnalyzeOptions, 'sheet' | 'encoding' | 'delimiter' | 'headerRow'> {
  /** Keep the stored copy of the file after a successful import (default: delete it). */
  keepUpload?: boolean;
}

export interface RunResult extends ImportResult {
  fileId: string;
}

/**
 * upload → analyze → map → import in one non-interactive step, for cron. On success the stored
 * copy of the file is deleted so scheduled runs do not fill the disk; on failure the session is
 * kept so the fileId in the error can be previewed.
 */
export async function run(ctx: Context, source: UploadSource, options: RunOptions): Promise<RunResult> {
  if (!hasMappingChoice(options)) {
    throw new ImportError('USAGE', 'run needs a mapping', {
      hint: 'pass auto, mappingFile FILE.json or template NAME',
      options: ['auto', 'mappingFile', 'template'],
    });
  }
  checkMappingChoice(options);
  const uploaded = await upload(ctx, source, { onProgress: options.onProgress, signal: options.signal });
  const { fileId } = uploaded;
  await analyze(ctx, fileId, { ...options, discardRefusedFile: true });
  const analysis = await requireAnalysis(ctx, fileId);
  const { mapping } = await resolveMapping(ctx, analysis, options);
  await saveMapping(ctx, fileId, mapping);
  const result = await importContacts(ctx, fileId, options);
  if (!options.dryRun && !options.keepUpload) await ctx.files.delete(uploaded.key);
  return { ...result, fileId };
}
