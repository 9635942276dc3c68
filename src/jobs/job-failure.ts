import { isImportError } from '../errors.js';
import type { JobFailure } from './job-runner.js';

/** A job's failure as its record shows it: the ImportError's code, message and library hint. */
export function failureOf(error: unknown): JobFailure {
  if (isImportError(error)) {
    const hint = error.hintFor();
    return { code: error.code, message: error.message, ...(hint ? { hint } : {}) };
  }
  return { code: 'INTERNAL', message: 'unexpected error' };
}

/**
 * Whether trying again later may succeed: a service that was unavailable (IO), another import
 * of the same file still holding its lock (LOCKED), or something unexpected. Bad input (a
 * refused file, a missing mapping, a usage error…) fails the same way every time.
 */
export function isTransient(error: unknown): boolean {
  if (!isImportError(error)) return true;
  return error.code === 'IO' || error.code === 'LOCKED';
}
