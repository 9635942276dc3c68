import { UnrecoverableError, WaitingError, Worker, type Job } from 'bullmq';
import { isImportError } from '../errors.js';
import type { Context } from '../pipeline/context.js';
import type { ProgressEvent } from '../types.js';
import { bullConnection, queueCall } from './bull-connection.js';
import { recordOf, type JobKind, type QueuedJobData } from './bull-job-runner.js';
import { failureOf, isTransient } from './job-failure.js';
import type { JobHandler, JobRecord } from './job-runner.js';
import { pipelineJobs } from './pipeline-jobs.js';

export interface StartWorkersOptions {
  /** The queues to take jobs from. */
  kinds: readonly JobKind[];
  /** Jobs of each queue run at once in this process. */
  concurrency: number;
  /** Default: the pipeline steps (pipelineJobs). */
  handlers?: Partial<Record<JobKind, JobHandler>>;
  /** Told when a job starts, ends or goes back to the queue. */
  onEvent?: (event: WorkerEvent) => void;
}

export type WorkerEvent =
  | { type: 'started' | 'completed'; job: JobRecord }
  | { type: 'failed'; job: JobRecord; willRetry: boolean }
  | { type: 'requeued'; job: JobRecord }
  | { type: 'error'; message: string };

export interface RunningWorkers {
  /** Resolves once every queue's worker is connected and taking jobs; an ImportError ('IO') when Redis does not answer. */
  ready: Promise<void>;
  /**
   * Graceful stop: no new jobs; running ones stop at their next checkpoint (an import after
   * its current batch, recorded as resumable) and go back to the queue for another worker.
   */
  close(): Promise<void>;
}

/** A job's progress goes to Redis at most this often. */
const PROGRESS_INTERVAL_MS = 500;
/** A job whose worker died this many times fails instead of being taken over again. */
const MAX_STALLED = 3;

/** The worker loop of `contact-import worker`: BullMQ workers running the pipeline's jobs. */
export function startWorkers(ctx: Context, options: StartWorkersOptions): RunningWorkers {
  const handlers = { ...pipelineJobs(ctx), ...options.handlers };
  const stopping = new AbortController();
  const emit = options.onEvent ?? (() => undefined);
  const { lockMs, stalledIntervalMs } = ctx.config.queue;

  const processJob = async (job: Job, token?: string): Promise<unknown> => {
    const handler = handlers[job.name as JobKind];
    if (!handler) throw new UnrecoverableError(JSON.stringify({ code: 'INTERNAL', message: `no handler for jobs of kind "${job.name}"` }));
    const { payload } = job.data as QueuedJobData;
    let lastWrite = 0;
    let writing: Promise<unknown> = Promise.resolve();
    const progress = (event: ProgressEvent): void => {
      const now = Date.now();
      if (now - lastWrite < PROGRESS_INTERVAL_MS) return;
      lastWrite = now;
      const { phase, rows, bytes, totalBytes } = event;
      writing = writing.then(() => job.updateProgress({ phase, rows, bytes, totalBytes })).catch(() => undefined);
    };
    try {
      const result = await handler.run(payload, { signal: stopping.signal, progress, note: rerunNote(job) });
      await writing;
      return result;
    } catch (error) {
      await writing;
      if (stopping.signal.aborted && isImportError(error) && error.code === 'INTERRUPTED') {
        // Stopped by us at a checkpoint: back to the queue as it is, not a failed attempt.
        await job.moveToWait(token);
        emit({ type: 'requeued', job: recordOf(job, 'waiting') });
        throw new WaitingError();
      }
      // A bug, or a driver's error the pipeline did not name: the job records only "unexpected".
      if (!isImportError(error)) emit({ type: 'error', message: `job ${job.id}: ${error instanceof Error ? error.stack ?? error.message : String(error)}` });
      const failure = JSON.stringify(failureOf(error));
      throw isTransient(error) ? new Error(failure) : new UnrecoverableError(failure);
    }
  };

  const workers = options.kinds.map((kind) => {
    const { redis, target } = bullConnection(ctx.config, 'worker');
    const worker = new Worker(kind, processJob, {
      connection: redis,
      prefix: ctx.config.queue.prefix,
      concurrency: options.concurrency,
      lockDuration: lockMs,
      stalledInterval: stalledIntervalMs,
      maxStalledCount: MAX_STALLED,
    });
    worker.on('active', (job) => emit({ type: 'started', job: recordOf(job, 'active') }));
    worker.on('completed', (job) => emit({ type: 'completed', job: recordOf(job, 'completed') }));
    worker.on('failed', (job, error) => {
      if (!job || error instanceof WaitingError) return;
      const willRetry = !(error instanceof UnrecoverableError) && job.attemptsMade < (job.opts.attempts ?? 1);
      emit({ type: 'failed', job: recordOf(job, willRetry ? 'delayed' : 'failed'), willRetry });
    });
    worker.on('error', (error) => emit({ type: 'error', message: target.redact(error.message) }));
    const entry = { worker, redis, connected: false };
    const ready = queueCall(target, 'start a worker', () => worker.waitUntilReady()).then(() => {
      entry.connected = true;
    });
    return { ...entry, entry, ready };
  });
  const ready = Promise.all(workers.map((w) => w.ready)).then(() => undefined);
  // Whoever does not wait for it (a server) must not crash on it: its requests say Redis is down.
  ready.catch(() => undefined);

  let closing: Promise<void> | undefined;
  return {
    ready,
    close() {
      closing ??= (async () => {
        // A worker that never reached Redis has nothing to finish: dropped at once.
        const closed = workers.map(({ worker, redis, entry }) => {
          if (entry.connected) return worker.close();
          redis.disconnect();
          return worker.close(true);
        });
        stopping.abort();
        await Promise.allSettled(closed);
        for (const { redis } of workers) redis.disconnect();
      })();
      return closing;
    },
  };
}

/** Why a job runs again, in the words status shows. */
function rerunNote(job: Job): string | undefined {
  if (job.stalledCounter > 0) return `restarted after its worker stopped (start ${job.attemptsStarted})`;
  if (job.attemptsMade > 0) return `retry ${job.attemptsMade} after a transient failure`;
  return undefined;
}
