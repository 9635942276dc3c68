import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { fileTooLarge, ImportError, toImportError } from '../errors.js';
import { sniffFileKind } from '../records/detect/detect-file-kind.js';
import { limitBytes } from '../streams/limit-bytes.js';
import type { UploadRecord } from './upload-record.js';
import type { UploadResult } from '../types.js';
import { STORAGE_KEYS } from '../state/session-keys.js';
import type { Context } from './context.js';
import { requireUpload } from './session.js';

export interface ReceiveUploadOptions {
  /** Bytes announced (Content-Length): over the limit, refused before reading. */
  size?: number;
  signal?: AbortSignal;
}

/**
 * Stores the bytes of a session reserveUpload opened on local storage, as `upload` stores a
 * file: the kind sniffed from the bytes, the size limit enforced while streaming, nothing left
 * behind on refusal. A session receives its bytes once.
 */
export async function receiveUpload(ctx: Context, fileId: string, body: Readable, options: ReceiveUploadOptions = {}): Promise<UploadResult> {
  const upload = await requireUpload(ctx, fileId);
  if (upload.storage !== 'local' || ctx.files.kind !== 'local') {
    throw new ImportError('USAGE', `${fileId} is uploaded to S3, not to this server`, { hint: 'PUT the file to its presigned URL' });
  }
  if (upload.kind !== 'pending') {
    throw new ImportError('CONFLICT', `the file for ${fileId} has already been received`, {
      hint: 'open a new upload session for another file',
      next: { step: 'analyze', fileId },
    });
  }
  const { maxFileSizeBytes } = ctx.config;
  const tooLarge = () => fileTooLarge(upload.fileName, maxFileSizeBytes);
  if (options.size !== undefined && options.size > maxFileSizeBytes) throw tooLarge();
  const { kind, stream } = await sniffFileKind(body, upload.fileName);
  const hash = createHash('sha256');
  const limited = limitBytes(stream, maxFileSizeBytes, tooLarge, (chunk) => hash.update(chunk));
  const onAbort = () => limited.destroy(new ImportError('INTERRUPTED', `upload of ${upload.fileName} interrupted`));
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const stored = await ctx.files
    .put(upload.key, limited, { contentType: upload.contentType })
    .finally(() => options.signal?.removeEventListener('abort', onAbort));
  const record: UploadRecord = { ...upload, kind, size: stored.size, sha256: hash.digest('hex') };
  delete record.expiresAt;
  try {
    await ctx.state.set(STORAGE_KEYS.upload(fileId), record, ctx.config.ttlSeconds);
  } catch (error) {
    await ctx.files.delete(upload.key).catch(() => undefined);
    throw toImportError(error, 'cannot save the upload record');
  }
  return { fileId, key: upload.key, storage: 'local', size: stored.size, fileName: upload.fileName };
}
