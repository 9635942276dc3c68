import { createHash } from 'node:crypto';

/**
 * A PostgreSQL advisory lock key (a signed 64-bit integer, as a string for ::bigint) for a text:
 * the first 8 bytes of its SHA-256, the same in every process and version.
 */
export function runLockKey(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest().readBigInt64BE(0).toString();
}
