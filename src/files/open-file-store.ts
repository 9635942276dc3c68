import path from 'node:path';
import type { Config } from '../config.js';
import { ImportError } from '../errors.js';
import type { FileStore } from './file-store.js';
import { LocalFileStore } from './local-file-store.js';

/** The file store the configuration selects: the home folder, or S3 when a bucket is set. */
export function openFileStore(config: Config): FileStore {
  if (config.storage === 's3') {
    throw new ImportError('NOT_CONFIGURED', 'S3 storage is not available in this version', {
      hint: 'unset S3_BUCKET_NAME or pass --storage local',
    });
  }
  return new LocalFileStore(path.join(config.home));
}
