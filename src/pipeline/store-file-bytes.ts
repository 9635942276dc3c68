import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { fileTooLarge, ImportError } from '../errors.js';
import type { FileKind } from '../records/file-format.js';
import { sniffFileKind } from '../records/detect/detect-file-kind.js';
import { limitBytes } from '../streams/limit-bytes.js';
import type { Context } from './context.js';

export interface StoreFileBytesOptions {
  key: string;
  fileName: string;
  /** Bytes announced before reading (file size, Content-Length): over the limit, refused at once. */
  size?: number;
  /** The Content-Type to store; by default the one of the sniffed kind. */
  contentType?: string;
  /** A declared text encoding: a UTF-16 file without a BOM is then not taken for binary. */
  encoding?: string;
  signal?: AbortSignal;
  onProgress?: (bytes: number) => void;
}

/**
 * Stores an upload's bytes under `key`, as every way in (a path, a stream, a PUT to the server)
 * must: the kind sniffed from the bytes (never the name), the size limit enforced while
 * streaming, the SHA-256 computed on the way (a re-upload of the same file resumes its import),
 * and nothing left stored on refusal or abort.
 */
export async function storeFileBytes(
  ctx: Context,
  input: Readable,
  options: StoreFileBytesOptions,
): Promise<{ kind: FileKind; size: number; sha256: string }> {
  const { maxFileSizeBytes } = ctx.config;
  const { fileName, signal } = options;
  const tooLarge = () => fileTooLarge(fileName, maxFileSizeBytes);
  if (options.size !== undefined && options.size > maxFileSizeBytes) throw tooLarge();
  const { kind, stream } = await sniffFileKind(input, fileName, options.encoding);
  const hash = createHash('sha256');
  const limited = limitBytes(stream, maxFileSizeBytes, tooLarge, (chunk) => hash.update(chunk));
  // Failing the body is how every store learns to drop a half-stored file.
  const onAbort = () => limited.destroy(new ImportError('INTERRUPTED', `upload of ${fileName} interrupted`));
  signal?.addEventListener('abort', onAbort, { once: true });
  const stored = await ctx.files
    .put(options.key, limited, { contentType: options.contentType ?? contentTypeOf(kind), onProgress: options.onProgress })
    .finally(() => signal?.removeEventListener('abort', onAbort));
  return { kind, size: stored.size, sha256: hash.digest('hex') };
}

function contentTypeOf(kind: FileKind): string {
  switch (kind) {
    case 'xlsx':
      return 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    case 'xls':
      return 'application/vnd.ms-excel';
    default:
      return 'text/csv';
  }
}
