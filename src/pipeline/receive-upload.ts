import type { Readable } from 'node:stream';
import { ImportError, toImportError } from '../errors.js';
import type { UploadRecord } from './upload-record.js';
import type { UploadResult } from '../types.js';
import { STORAGE_KEYS } from '../state/session-keys.js';
import type { Context } from './context.js';
import { requireUpload } from './session.js';
import { storeFileBytes } from './store-file-bytes.js';

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
  const stored = await storeFileBytes(ctx, body, {
    key: upload.key,
    fileName: upload.fileName,
    size: options.size,
    contentType: upload.contentType,
    signal: options.signal,
  });
  const record: UploadRecord = { ...upload, kind: stored.kind, size: stored.size, sha256: stored.sha256 };
  delete record.expiresAt;
  try {
    await ctx.state.set(STORAGE_KEYS.upload(fileId), record, ctx.config.ttlSeconds);
  } catch (error) {
    await ctx.files.delete(upload.key).catch(() => undefined);
    throw toImportError(error, 'cannot save the upload record');
  }
  return { fileId, key: upload.key, storage: 'local', size: stored.size, fileName: upload.fileName };
}
