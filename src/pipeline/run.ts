import { ImportError } from '../errors.js';
import type { ImportResult } from '../types.js';
import { analyze, type AnalyzeOptions } from './analyze.js';
import { checkOutputPaths } from './check-output-paths.js';
import type { Context } from './context.js';
import { importContacts, type ImportOptions } from './import.js';
import { checkMappingChoice, hasMappingChoice, pickTemplate, resolveMapping, saveMapping, type MappingChoice, type ResolvedMapping, type TemplateUse } from './map.js';
import { clearSession, requireAnalysis } from './session.js';
import { describeDrift } from './template-fit.js';
import { listTemplates } from './templates.js';
import { upload, type UploadSource } from './upload.js';

export interface RunOptions extends ImportOptions, MappingChoice, Pick<AnalyzeOptions, 'sheet' | 'encoding' | 'delimiter' | 'headerRow'> {
  /** Keep the stored copy of the file and its session, whatever the outcome (default: delete both). */
  keepUpload?: boolean;
}

export interface RunResult extends ImportResult {
  fileId: string;
  /** The template the mapping came from (named, or picked for want of a mapping), and why. */
  template?: TemplateUse;
}

/**
 * upload → analyze → map → import in one non-interactive step, for cron. With no mapping
 * given, the saved template whose columns the file has is used (see pickTemplate). Whatever the outcome
 * (imported, refused, failed, LOCKED, interrupted) the stored copy of the file and its session
 * are removed, so a retrying job never fills the disk; `keepUpload` keeps both (until the TTL).
 */
export async function run(ctx: Context, source: UploadSource, options: RunOptions): Promise<RunResult> {
  checkMappingChoice(options);
  const pick = !hasMappingChoice(options);
  if (pick && (await listTemplates(ctx.config)).length === 0) {
    throw new ImportError('USAGE', 'run needs a mapping', {
      hint: 'pass auto, mappingFile FILE.json or template NAME (a file with the columns of a saved one is matched to it unasked)',
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
    let resolved: ResolvedMapping;
    if (pick) {
      const picked = await pickTemplate(ctx, analysis, options);
      if (!picked.resolved) {
        const closest = picked.closest!;
        const drift = describeDrift(closest.template, closest.drift);
        throw new ImportError('NO_MAPPING', `no saved template fits the columns of ${uploaded.fileName}: the closest, "${closest.template.name}", shares ${Math.round(closest.score * 100)}% of them (${drift?.replace(/^template "[^"]*": /, '') ?? 'none differ'})`, {
          file: uploaded.fileName,
          hint: 'pass template NAME to use it anyway, or auto, or mappingFile FILE.json',
          options: ['template', 'auto', 'mappingFile'],
        });
      }
      resolved = picked.resolved;
    } else {
      resolved = await resolveMapping(ctx, analysis, options);
    }
    await saveMapping(ctx, fileId, resolved.mapping);
    const result = await importContacts(ctx, fileId, options);
    const warnings = [...resolved.notes, ...(result.warnings ?? [])];
    return { ...result, ...(warnings.length > 0 ? { warnings } : {}), fileId, ...(resolved.template ? { template: resolved.template } : {}) };
  } finally {
    if (!options.keepUpload) await discardUpload(ctx, fileId, uploaded.key);
  }
}

/** Best-effort: the run's own outcome (or error) is what the caller must see. */
async function discardUpload(ctx: Context, fileId: string, key: string): Promise<void> {
  await ctx.files.delete(key).catch(() => undefined);
  await clearSession(ctx, fileId).catch(() => undefined);
}
