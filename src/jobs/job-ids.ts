import { createHash } from 'node:crypto';
import type { ImportJob } from './pipeline-jobs.js';

// Job ids are derived from the work, so asking twice for the same work (a retried HTTP
// request, a second cron host) finds the job already queued instead of queueing another.

/** The analysis job of a file. */
export const analysisJobId = (fileId: string) => `analyze:${fileId}`;

/**
 * The import job of a file with these options: `job_` and a UUID-shaped digest of both (the
 * form the import routes accept). `identity` is the fileId, or the file's bytes' digest when
 * two uploads of one file are the same work (two cron hosts sending one export).
 */
export function importJobId(identity: string, options: ImportJob['options']): string {
  const canonical = JSON.stringify({
    identity,
    excluded: [...new Set(options.excludeRows ?? [])].sort((a, b) => a - b),
    onDuplicate: options.onDuplicate ?? 'skip',
    dryRun: options.dryRun === true,
    maxInvalid: options.maxInvalid ?? null,
  });
  const hex = createHash('sha256').update(canonical).digest('hex');
  return `job_${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
