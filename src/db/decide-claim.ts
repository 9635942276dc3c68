import type { ImportRun, ImportRunStart } from './contact-store.js';
import { resumeMismatchError, runLockedError } from './run-errors.js';

export type ClaimDecision = { kind: 'new' } | { kind: 'completed'; run: ImportRun } | { kind: 'resume'; run: ImportRun };

/**
 * What claimRun does with the runs of the same file in the same table (status other than
 * 'undone', newest first), the same on both engines:
 * - any of them 'running' and `isLive` → LOCKED;
 * - otherwise the newest one decides: 'completed' with this fileId → nothing to do; 'completed'
 *   from another upload of the same bytes → a new run; unfinished (dead 'running',
 *   'interrupted', 'failed') → resumed under the same resumeKey, refused (USAGE) under another;
 * - none → a new run.
 */
export function decideClaim(
  matches: readonly ImportRun[],
  start: ImportRunStart,
  table: string,
  isLive: (run: ImportRun) => boolean,
): ClaimDecision {
  const live = matches.find((run) => run.status === 'running' && isLive(run));
  if (live) throw runLockedError(start.fileName, table, live);
  const newest = matches[0];
  if (!newest) return { kind: 'new' };
  if (newest.status === 'completed') {
    return newest.fileId === start.fileId ? { kind: 'completed', run: newest } : { kind: 'new' };
  }
  if (newest.resumeKey === start.resumeKey) return { kind: 'resume', run: newest };
  throw resumeMismatchError(newest, start.fileName);
}

/** What identifies "the same file" for locking: its bytes when known, else its upload. */
export function runIdentity(run: { fileSha256?: string | null; fileId: string | null }): string {
  return run.fileSha256 ?? run.fileId ?? '';
}
