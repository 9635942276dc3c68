import { ImportError } from '../errors.js';

/** A TTL in milliseconds, after checking it is a number of seconds a store can honour. */
export function ttlMilliseconds(ttlSeconds: number): number {
  if (typeof ttlSeconds !== 'number' || !Number.isFinite(ttlSeconds) || ttlSeconds < 0) {
    throw new ImportError('USAGE', `invalid state TTL ${String(ttlSeconds)} seconds`, {
      hint: 'TTL_SECONDS must be a positive number',
    });
  }
  return Math.round(ttlSeconds * 1000);
}
