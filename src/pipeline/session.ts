import { ImportError } from '../errors.js';
import { isUploadKey } from '../files/make-storage-key.js';
import type { ColumnMapping } from '../types.js';
import type { StoredAnalysis } from './stored-analysis.js';
import type { UploadRecord } from './upload-record.js';
import { STORAGE_KEYS } from '../state/session-keys.js';
import type { Context } from './context.js';

// The session of one fileId: what upload stored, the analysis, the mapping. Each lookup fails
// with a message that names the step to run next.

const FILE_ID = /^file_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function newFileId(): string {
  return `file_${crypto.randomUUID()}`;
}

export async function requireUpload(ctx: Context, fileId: string): Promise<UploadRecord> {
  const upload = FILE_ID.test(fileId) ? await ctx.state.get<UploadRecord>(STORAGE_KEYS.upload(fileId)) : null;
  if (!upload) {
    throw new ImportError('NOT_FOUND', `unknown or expired fileId "${fileId}"`, {
      hint: `sessions last ${ctx.config.ttlSeconds} s (TTL_SECONDS); upload the file again`,
      next: { step: 'upload' },
    });
  }
  if (!isUploadKey(upload.key)) {
    // Someone else wrote this record (state is shared, Redis especially): reading or deleting
    // what it names could reach any object, so nothing is done with it.
    throw new ImportError('NOT_FOUND', `the session of ${fileId} is not usable: its stored file ${JSON.stringify(String(upload.key).slice(0, 200))} is not an upload`, {
      hint: 'upload the file again',
      next: { step: 'upload' },
    });
  }
  return upload;
}

export async function requireAnalysis(ctx: Context, fileId: string): Promise<StoredAnalysis> {
  await requireUpload(ctx, fileId);
  const analysis = await ctx.state.get<StoredAnalysis>(STORAGE_KEYS.analysis(fileId));
  if (!analysis) throw notAnalyzed(fileId);
  return analysis;
}

export function notAnalyzed(fileId: string): ImportError {
  return new ImportError('NOT_FOUND', `file ${fileId} has not been analyzed yet`, {
    hint: 'analyze it first',
    next: { step: 'analyze', fileId },
  });
}

export async function findMapping(ctx: Context, fileId: string): Promise<ColumnMapping | null> {
  return ctx.state.get<ColumnMapping>(STORAGE_KEYS.mapping(fileId));
}

export async function clearSession(ctx: Context, fileId: string): Promise<void> {
  await ctx.state.delete(
    STORAGE_KEYS.analysis(fileId),
    STORAGE_KEYS.progress(fileId),
    STORAGE_KEYS.mapping(fileId),
    STORAGE_KEYS.upload(fileId),
  );
}
