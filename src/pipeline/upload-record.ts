import type { FileKind } from '../records/file-format.js';
import type { UploadResult } from '../types.js';

/**
 * What `upload` stored, kept in state under STORAGE_KEYS.upload(fileId): what it returned, plus
 * what later steps need. `size`: bytes stored; for a presigned upload not yet read, the size
 * the client declared.
 */
export interface UploadRecord extends UploadResult {
  /**
   * Decided once from the first bytes and trusted by every later read. 'pending': a presigned
   * upload whose bytes have not been read yet; the first read sniffs them (as it does for a
   * record without a kind, written by an older version).
   */
  kind?: FileKind | 'pending';
  /** SHA-256 of the stored bytes (hex); unknown for presigned uploads. */
  sha256?: string;
  uploadedAt: string;
  /** Presigned uploads: the Content-Type the PUT must send, and when the URL expires. */
  contentType?: string;
  expiresAt?: string;
}
