import { ImportError, type ErrorCode } from '../errors.js';
import type { AnalyzeOptions } from '../pipeline/analyze.js';
import type { Context } from '../pipeline/context.js';
import { hasMappingChoice, resolveMapping, saveMapping } from '../pipeline/map.js';
import { queueAnalysis } from '../pipeline/queue-analysis.js';
import type { RunOptions, RunResult } from '../pipeline/run.js';
import { requireAnalysis, requireUpload } from '../pipeline/session.js';
import { upload, type UploadSource } from '../pipeline/upload.js';
import type { AnalysisSummary, ImportResult, ProgressListener } from '../types.js';
import { analysisJobId, importJobId } from './job-ids.js';
import type { JobRecord, JobRunner } from './job-runner.js';
import type { AnalyzeJob, ImportJob } from './pipeline-jobs.js';

// The CLI's `analyze --queue` and `run --queue`: the same steps, with the analysis and the
// import done by whichever worker takes them, and this process following their progress.

export interface WaitOptions {
  onProgress?: ProgressListener;
  /** Stops waiting (the job keeps going on the workers). */
  signal?: AbortSignal;
  pollMs?: number;
}

/** Waits for a job to end: its result, or its failure as the ImportError it was. */
export async function waitForJob<T>(jobs: JobRunner, id: string, options: WaitOptions = {}): Promise<T> {
  const pollMs = options.pollMs ?? 250;
  let lastRows = -1;
  for (;;) {
    const job = await jobs.get(id);
    if (!job) throw new ImportError('NOT_FOUND', `job ${id} is no longer on the queue`, { hint: 'finished jobs are kept for TTL_SECONDS' });
    if (job.progress && job.progress.rows !== lastRows) {
      lastRows = job.progress.rows;
      options.onProgress?.({ ...job.progress });
    }
    if (job.status === 'completed') return job.result as T;
    if (job.status === 'failed') throw jobError(job);
    if (options.signal?.aborted) {
      throw new ImportError('INTERRUPTED', `stopped waiting for job ${id}; it is still ${job.status} on the queue`, {
        hint: 'the workers carry on with it; list the queue to follow it',
      });
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

function jobError(job: JobRecord): ImportError {
  const failure = job.error ?? { code: 'INTERNAL', message: 'the job failed' };
  return new ImportError(failure.code as ErrorCode, failure.message, failure.hint ? { hint: failure.hint } : {});
}

/** Queues the analysis of an uploaded file (unless it is queued or running already) and waits for it. */
export async function analyzeQueued(
  ctx: Context,
  jobs: JobRunner,
  fileId: string,
  options: Pick<AnalyzeOptions, 'sheet' | 'encoding' | 'delimiter' | 'headerRow'> & WaitOptions = {},
): Promise<AnalysisSummary> {
  const { sheet, encoding, delimiter, headerRow, ...wait } = options;
  const id = analysisJobId(fileId);
  if (!(await jobs.isActive(id))) {
    await queueAnalysis(ctx, fileId);
    const job: AnalyzeJob = { fileId, read: { sheet, encoding, delimiter, headerRow } };
    await jobs.submit('analyze', id, job);
  }
  return waitForJob<AnalysisSummary>(jobs, id, wait);
}

/** Options a worker's own settings decide, so they cannot be sent with a queued import. */
const WORKER_SIDE = ['database', 'table', 'schema', 'errorsOut', 'importedOut', 'batchSize'] as const;

/**
 * run() with the analysis and the import as queued jobs. The import job's id is derived from
 * the file's bytes and the options, so two cron hosts sending the same export at once share
 * one import; one that finished already (within TTL_SECONDS) is not run again.
 */
export async function runQueued(ctx: Context, jobs: JobRunner, source: UploadSource, options: RunOptions): Promise<RunResult> {
  if (!hasMappingChoice(options)) {
    throw new ImportError('USAGE', 'run needs a mapping', { hint: 'pass auto, mappingFile FILE.json or template NAME', options: ['auto', 'mappingFile', 'template'] });
  }
  const workerSide = WORKER_SIDE.filter((name) => options[name] !== undefined);
  if (workerSide.length > 0) {
    throw new ImportError('USAGE', `${workerSide.join(', ')} cannot be sent with a queued import: the workers' own settings (DATABASE_URL…) decide`, {
      hint: `leave out ${workerSide.join(', ')}, or import in this process`,
      options: [...workerSide],
    });
  }
  const wait = { onProgress: options.onProgress, signal: options.signal };
  const uploaded = await upload(ctx, source, wait);
  const { fileId } = uploaded;
  await analyzeQueued(ctx, jobs, fileId, { ...options, ...wait });
  const analysis = await requireAnalysis(ctx, fileId);
  const { mapping } = await resolveMapping(ctx, analysis, options);
  await saveMapping(ctx, fileId, mapping);

  const importOptions: ImportJob['options'] = {
    excludeRows: options.excludeRows ? [...options.excludeRows] : undefined,
    onDuplicate: options.onDuplicate,
    dryRun: options.dryRun,
    maxInvalid: options.maxInvalid,
  };
  const { sha256 } = await requireUpload(ctx, fileId);
  // The mapping is part of the work too: the same bytes mapped differently are another import.
  const id = importJobId(`${sha256 ?? fileId}:${JSON.stringify(Object.entries(mapping).sort())}`, importOptions);
  const done = await jobs.get(id);
  if (done?.status !== 'completed') {
    const job: ImportJob = { fileId, options: importOptions };
    await jobs.submit('import', id, job);
  }
  const result = done?.status === 'completed' ? (done.result as ImportResult) : await waitForJob<ImportResult>(jobs, id, wait);
  // Ours may not be the upload the job imported (another host's copy of the same file was first).
  if (!options.dryRun && !options.keepUpload) await ctx.files.delete(uploaded.key).catch(() => undefined);
  return { ...result, fileId };
}
