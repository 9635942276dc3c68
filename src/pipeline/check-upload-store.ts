import { ImportError } from '../errors.js';
import type { UploadRecord } from './upload-record.js';
import type { Context } from './context.js';

/**
 * USAGE when the file lives somewhere other than where this run looks (uploaded to S3, then
 * analyzed without S3_BUCKET_NAME): "missing file" would send the user the wrong way.
 */
export function checkUploadStore(ctx: Context, upload: UploadRecord): void {
  const { files } = ctx;
  if (upload.storage === files.kind && (upload.storage !== 's3' || upload.bucket === files.bucket)) return;
  const where = upload.storage === 's3' ? `S3 bucket "${upload.bucket}"` : 'local storage';
  const here = files.kind === 's3' ? `S3 bucket "${files.bucket}"` : 'local storage';
  throw new ImportError('USAGE', `${upload.fileId} was stored in ${where}, but this run uses ${here}`, {
    hint:
      upload.storage === 's3'
        ? `run with S3_BUCKET_NAME=${upload.bucket} (and the same AWS_ENDPOINT_URL_S3)`
        : 'run with storage local (or without S3_BUCKET_NAME)',
    ...(upload.storage === 's3' ? {} : { options: ['storage'] }),
  });
}
