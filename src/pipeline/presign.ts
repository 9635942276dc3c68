import { fileTooLarge, ImportError, toImportError } from '../errors.js';
import { makeStorageKey } from '../files/make-storage-key.js';
import { presignUpload } from '../files/presign-upload.js';
import { S3FileStore } from '../files/s3-file-store.js';
import { STORAGE_KEYS } from '../state/session-keys.js';
import { ALLOWED_MIME_TYPES, type PresignResult } from '../types.js';
import type { Context } from './context.js';
import { newFileId } from './session.js';
import type { UploadRecord } from './upload-record.js';

export interface PresignRequest {
  fileName: string;
  /** The Content-Type the client will send; one of ALLOWED_MIME_TYPES. */
  contentType: string;
  /** The exact size in bytes the client will send. */
  size: number;
  /** Seconds the URL stays valid; default one hour, never longer than the session (TTL_SECONDS). */
  expiresIn?: number;
}

/** S3 refuses presigned URLs valid for more than a week. */
const MAX_EXPIRES_IN = 7 * 24 * 3600;

/**
 * Opens a session for a file another client (a browser, curl) will PUT straight to S3 (seed
 * Task 7). The declared type and size are checked before signing and bound into the signature;
 * the file's kind stays 'pending' until analyze reads its first bytes.
 */
export async function presign(ctx: Context, request: PresignRequest): Promise<PresignResult> {
  const store = ctx.files;
  if (!(store instanceof S3FileStore)) {
    throw new ImportError('NOT_CONFIGURED', 'presigned uploads need S3 storage', {
      hint: 'set S3_BUCKET_NAME (or pass storage s3), or upload the file directly',
      options: ['storage'],
      next: { step: 'upload' },
    });
  }
  const { fileName, size } = request;
  if (typeof fileName !== 'string' || fileName.trim() === '') {
    throw new ImportError('USAGE', 'a presigned upload needs the file name', {
      hint: 'pass fileName contacts.csv',
      options: ['fileName'],
    });
  }
  const contentType = request.contentType?.trim() ?? '';
  // The media type without parameters ("text/csv; charset=utf-8" is text/csv); the exact
  // string given is what gets signed, and what the client must send.
  const mediaType = contentType.split(';')[0]!.trim().toLowerCase();
  if (!ALLOWED_MIME_TYPES.includes(mediaType)) {
    throw new ImportError('UNSUPPORTED_FILE', `content type "${contentType}" is not accepted for upload`, {
      file: fileName,
      hint: `use one of: ${ALLOWED_MIME_TYPES.join(', ')}`,
    });
  }
  if (!Number.isSafeInteger(size) || size < 1) {
    throw new ImportError('USAGE', `the file size must be a whole number of bytes, 1 or more (got ${size})`, {
      hint: 'pass size BYTES',
      options: ['size'],
    });
  }
  if (size > ctx.config.maxFileSizeBytes) throw fileTooLarge(fileName, ctx.config.maxFileSizeBytes);
  const expiresIn = request.expiresIn ?? Math.min(3600, ctx.config.ttlSeconds);
  const longest = Math.min(MAX_EXPIRES_IN, ctx.config.ttlSeconds);
  if (!Number.isSafeInteger(expiresIn) || expiresIn < 1 || expiresIn > longest) {
    throw new ImportError('USAGE', `the URL lifetime must be 1 to ${longest} seconds (got ${expiresIn})`, {
      hint: 'the session (TTL_SECONDS) must outlive the URL, and S3 allows at most 7 days',
    });
  }

  // An early, clear "no such bucket" here beats an XML error in the other client's PUT.
  await store.checkBucket();
  const key = makeStorageKey(fileName);
  const uploadUrl = await presignUpload(store, key, { contentType, size, expiresIn });
  const fileId = newFileId();
  const now = Date.now();
  const record: UploadRecord = {
    fileId,
    key,
    storage: 's3',
    bucket: store.bucket,
    size,
    fileName,
    kind: 'pending',
    uploadedAt: new Date(now).toISOString(),
    contentType,
    expiresAt: new Date(now + expiresIn * 1000).toISOString(),
  };
  try {
    await ctx.state.set(STORAGE_KEYS.upload(fileId), record, ctx.config.ttlSeconds);
  } catch (error) {
    throw toImportError(error, 'cannot save the upload record');
  }
  return { uploadUrl, fileId, s3Key: key, expiresIn };
}
