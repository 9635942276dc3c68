import type { Readable } from 'node:stream';

/** One stored file, as `list` reports it. */
export interface StoredFile {
  key: string;
  size: number;
  lastModified: Date;
}

export interface PutOptions {
  contentType?: string;
  /** Bytes the store has accepted so far (per chunk on disk, per finished part on S3). */
  onProgress?: (bytes: number) => void;
}

/** Where uploaded files live: the local home folder, or an S3 bucket. */
export interface FileStore {
  readonly kind: 'local' | 's3';
  readonly bucket?: string;
  /**
   * Stores `body` under `key`, atomically: if the stream errors or is destroyed, nothing is
   * left under the key (on S3: no object and no multipart upload). Resolves with the number of
   * bytes stored. The stream's own error (e.g. TOO_LARGE from a byte limit) is the one thrown.
   */
  put(key: string, body: Readable, options?: PutOptions): Promise<{ size: number }>;
  /** A stream of the stored bytes; NOT_FOUND when the key does not exist. */
  open(key: string): Promise<Readable>;
  /** Size of the stored object, or null when it does not exist. */
  stat(key: string): Promise<{ size: number } | null>;
  /** Removes the key; a key that is already gone is not an error. */
  delete(key: string): Promise<void>;
  /** Every stored file whose key starts with `prefix` (e.g. `uploads/`), in no set order. */
  list(prefix: string): AsyncIterable<StoredFile>;
  close(): Promise<void>;
}
