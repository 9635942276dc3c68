import type { Readable } from 'node:stream';
import { sniffFileKind } from '../records/detect/detect-file-kind.js';
import type { FileKind } from '../records/file-format.js';
import type { UploadRecord } from './upload-record.js';
import { STORAGE_KEYS } from '../state/session-keys.js';
import type { Context } from './context.js';

/**
 * A presigned upload's kind is unknown when its session opens: the bytes go from the client
 * straight to S3 (and a record written by an older version may lack the kind). On the first read the head of the object is sniffed, as `upload` sniffs a
 * local file, and the record is updated with the kind and the real size. The returned stream
 * replays those head bytes, so the object is read once.
 */
export async function settleUpload(
  ctx: Context,
  upload: UploadRecord,
  input: Readable,
  size: number,
): Promise<{ kind: FileKind; input: Readable }> {
  const { kind, stream } = await sniffFileKind(input, upload.fileName);
  const settled: UploadRecord = { ...upload, kind, size };
  delete settled.expiresAt;
  try {
    await ctx.state.set(STORAGE_KEYS.upload(upload.fileId), settled, ctx.config.ttlSeconds);
  } catch (error) {
    stream.destroy();
    throw error;
  }
  return { kind, input: stream };
}
