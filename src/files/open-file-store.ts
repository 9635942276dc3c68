import path from 'node:path';
import type { Config } from '../config.js';
import { ImportError } from '../errors.js';
import type { FileStore } from './file-store.js';
import { LocalFileStore } from './local-file-store.js';
import { S3FileStore } from './s3-file-store.js';

/** The file store the configuration selects: the home folder, or S3 when a bucket is set. */
export function openFileStore(config: Config): FileStore {
  if (config.storage === 's3') {
    if (!config.s3Bucket) {
      throw new ImportError('NOT_CONFIGURED', 'S3 storage needs a bucket', {
        hint: 'set S3_BUCKET_NAME, or pass storage local',
        options: ['storage'],
      });
    }
    // Creating the client opens no connection: commands that never touch a file pay nothing.
    return new S3FileStore({ ...config, bucket: config.s3Bucket });
  }
  return new LocalFileStore(path.join(config.home));
}
