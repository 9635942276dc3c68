import type { DuplicateTracker } from './duplicate-tracker.js';

/**
 * What became of a checked row, as one number: INVALID, FIRST (valid, its email not seen
 * before, or dedupe off), or the 1-based row whose email it repeats.
 */
export type RowOutcome = number;
export const INVALID: RowOutcome = -1;
export const FIRST: RowOutcome = 0;

/**
 * The outcome of row `row`, given its normalized email when valid (null or undefined when
 * not); a valid row's email is remembered by `duplicates`.
 */
export function outcomeOf(email: string | null | undefined, row: number, duplicates: DuplicateTracker | undefined): RowOutcome {
  if (email === null || email === undefined) return INVALID;
  return duplicates?.check(email, row) ?? FIRST;
}
