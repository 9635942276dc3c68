import { fileTooLarge, ImportError, toImportError } from '../errors.js';
import { makeStorageKey } from '../files/make-storage-key.js';
import type { UploadRecord } from './upload-record.js';
import { ALLOWED_MIME_TYPES } from '../types.js';
import { STORAGE_KEYS } from '../state/session-keys.js';
import type { Context } from './context.js';
import { presign, type PresignRequest } from './presign.js';
import { newFileId } from './session.js';

/** A session opened before its bytes arrive: where the client sends them depends on the storage. */
export type ReservedUpload =
  | { storage: 's3'; fileId: string; s3Key: string; expiresIn: number; uploadUrl: string }
  /** Local storage: the bytes are handed to receiveUpload(fileId) by whoever accepts them. */
  | { storage: 'local'; fileId: string; s3Key: string; expiresIn: number };

/**
 * Opens an upload session for a file another client will send (seed Task 7): with S3 storage a
 * presigned PUT, with local storage a reservation that receiveUpload completes. Either way the
 * declared type and size are checked first, and the kind is sniffed from the bytes later.
 */
export async function reserveUpload(ctx: Context, request: PresignRequest): Promise<ReservedUpload> {
  if (ctx.files.kind === 's3') return { storage: 's3', ...(await presign(ctx, request)) };
  const { fileName, size } = request;
  const mediaType = (request.contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (!ALLOWED_MIME_TYPES.includes(mediaType)) {
    throw new ImportError('UNSUPPORTED_FILE', `content type "${request.contentType}" is not accepted for upload`, {
      file: fileName,
      hint: `use one of: ${ALLOWED_MIME_TYPES.join(', ')}`,
    });
  }
  if (size > ctx.config.maxFileSizeBytes) throw fileTooLarge(fileName, ctx.config.maxFileSizeBytes);
  const expiresIn = request.expiresIn ?? Math.min(3600, ctx.config.ttlSeconds);
  const fileId = newFileId();
  const key = makeStorageKey(fileName);
  const now = Date.now();
  const record: UploadRecord = {
    fileId,
    key,
    storage: 'local',
    size,
    fileName,
    kind: 'pending',
    uploadedAt: new Date(now).toISOString(),
    contentType: request.contentType,
    expiresAt: new Date(now + expiresIn * 1000).toISOString(),
  };
  try {
    await ctx.state.set(STORAGE_KEYS.upload(fileId), record, ctx.config.ttlSeconds);
  } catch (error) {
    throw toImportError(error, 'cannot save the upload record');
  }
  return { storage: 'local', fileId, s3Key: key, expiresIn };
}
