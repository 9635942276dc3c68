import type { S3FileStore } from './s3-file-store.js';
import { s3Error } from './s3-error.js';

export interface PresignPutOptions {
  contentType: string;
  /** Exact size in bytes the client will send. */
  size: number;
  expiresIn: number;
}

/**
 * A URL another client can PUT the file to, without credentials, until it expires. Content-Type
 * and Content-Length are signed, so S3 refuses a PUT of another type or size: the checks made
 * before signing cannot be sidestepped by the client.
 */
export async function presignUpload(store: S3FileStore, key: string, options: PresignPutOptions): Promise<string> {
  const [{ PutObjectCommand }, { getSignedUrl }] = await Promise.all([
    import('@aws-sdk/client-s3'),
    import('@aws-sdk/s3-request-presigner'),
  ]);
  const command = new PutObjectCommand({
    Bucket: store.bucket,
    Key: key,
    ContentType: options.contentType,
    ContentLength: options.size,
  });
  try {
    return await getSignedUrl(await store.client(), command, {
      expiresIn: options.expiresIn,
      signableHeaders: new Set(['content-type', 'content-length']),
    });
  } catch (error) {
    throw s3Error(error, `cannot sign an upload to s3://${store.bucket}/${key}`, { bucket: store.bucket, key });
  }
}
