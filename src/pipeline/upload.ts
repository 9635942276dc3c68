import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { ImportError, toImportError } from '../errors.js';
import { makeStorageKey } from '../files/make-storage-key.js';
import type { ProgressListener, UploadResult } from '../types.js';
import type { UploadRecord } from './upload-record.js';
import { STORAGE_KEYS } from '../state/session-keys.js';
import type { Context } from './context.js';
import { newFileId } from './session.js';
import { storeFileBytes } from './store-file-bytes.js';

export type UploadSource =
  | { path: string; fileName?: string }
  | { stream: Readable; fileName: string; size?: number };

export interface UploadOptions {
  onProgress?: ProgressListener;
  /** Aborting stops the upload and leaves nothing stored (on S3: no object, no multipart parts). */
  signal?: AbortSignal;
  /** The text encoding the caller declared (analyze/run's `encoding`): a UTF-16 file without a BOM is then not taken for binary. */
  encoding?: string;
}

/**
 * Stores a file and opens its session. The type comes from the bytes (never the extension) and
 * the size limit is enforced while streaming, so an oversized or non-spreadsheet file is
 * refused and nothing is stored.
 */
export async function upload(ctx: Context, source: UploadSource, options: UploadOptions = {}): Promise<UploadResult> {
  const { fileName, size, open } = describeSource(source);
  const key = makeStorageKey(fileName);
  const stored = await storeFileBytes(ctx, open(), {
    key,
    fileName,
    size,
    encoding: options.encoding,
    signal: options.signal,
    // Bytes the store accepted, not bytes read: on S3 parts are read ahead of the network.
    onProgress: (bytes) => options.onProgress?.({ phase: 'upload', rows: 0, bytes, totalBytes: size }),
  });

  const fileId = newFileId();
  const record: UploadRecord = {
    fileId,
    key,
    storage: ctx.files.kind,
    bucket: ctx.files.bucket,
    size: stored.size,
    fileName,
    kind: stored.kind,
    sha256: stored.sha256,
    uploadedAt: new Date().toISOString(),
  };
  try {
    await ctx.state.set(STORAGE_KEYS.upload(fileId), record, ctx.config.ttlSeconds);
  } catch (error) {
    await ctx.files.delete(key).catch(() => undefined);
    throw toImportError(error, 'cannot save the upload record');
  }
  return {
    fileId,
    key,
    storage: record.storage,
    ...(record.bucket ? { bucket: record.bucket } : {}),
    size: record.size,
    fileName,
  };
}

function describeSource(source: UploadSource): { fileName: string; size?: number; open: () => Readable } {
  if ('stream' in source) return { fileName: source.fileName, size: source.size, open: () => source.stream };
  const file = source.path;
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new ImportError('NOT_FOUND', `file not found: ${file}`, { hint: 'check the path' });
  }
  if (!stat.isFile()) {
    throw new ImportError('USAGE', `${file} is not a file`, { hint: 'pass the path of a CSV, TSV, XLSX or XLS file' });
  }
  return { fileName: source.fileName ?? path.basename(file), size: stat.size, open: () => fs.createReadStream(file) };
}
