import type { Readable } from 'node:stream';

/** Where uploaded files live: the local home folder, or an S3 bucket. */
export interface FileStore {
  readonly kind: 'local' | 's3';
  readonly bucket?: string;
  /**
   * Stores `body` under `key`, atomically: if the stream errors or is destroyed, nothing is
   * left under the key. Resolves with the number of bytes stored.
   */
  put(key: string, body: Readable, options?: { contentType?: string }): Promise<{ size: number }>;
  /** A stream of the stored bytes; NOT_FOUND when the key does not exist. */
  open(key: string): Promise<Readable>;
  /** Size of the stored object, or null when it does not exist. */
  stat(key: string): Promise<{ size: number } | null>;
  delete(key: string): Promise<void>;
  close(): Promise<void>;
}
