import { ImportError } from '../errors.js';
import type { Context } from '../pipeline/context.js';
import { BullJobRunner, JOB_KINDS } from './bull-job-runner.js';
import type { JobRecord, JobRunner } from './job-runner.js';
import { LocalJobRunner } from './local-job-runner.js';
import { pipelineJobs } from './pipeline-jobs.js';
import { startWorkers } from './start-workers.js';

export interface OpenJobRunnerOptions {
  /**
   * Jobs this process runs at once. With the BullMQ queue, 0 only queues them (workers
   * elsewhere run them); otherwise this process also works the queue.
   */
  concurrency: number;
  onUnexpectedError?: (error: unknown, job: JobRecord) => void;
}

/**
 * The job runner the configuration selects: BullMQ on Redis (REDIS_URL set, JOB_QUEUE not
 * local), else the in-process LocalJobRunner.
 */
export function openJobRunner(ctx: Context, options: OpenJobRunnerOptions): JobRunner {
  if (ctx.config.queue.kind === 'local') {
    if (options.concurrency < 1) {
      throw new ImportError('USAGE', 'with jobs run in this process (no REDIS_URL, or JOB_QUEUE=local) the job concurrency must be 1 or more');
    }
    return new LocalJobRunner({
      state: ctx.state,
      ttlSeconds: ctx.config.ttlSeconds,
      concurrency: options.concurrency,
      handlers: pipelineJobs(ctx),
      onUnexpectedError: options.onUnexpectedError,
    });
  }
  const queue = new BullJobRunner(ctx.config);
  if (options.concurrency < 1) return queue;
  const workers = startWorkers(ctx, { kinds: JOB_KINDS, concurrency: options.concurrency });
  return {
    submit: (kind, id, payload) => queue.submit(kind, id, payload),
    get: (id) => queue.get(id),
    isActive: (id) => queue.isActive(id),
    async close() {
      await workers.close();
      await queue.close();
    },
  };
}

/** The BullMQ queue, for steps asked to go through it; NOT_CONFIGURED without REDIS_URL. */
export function openQueue(ctx: Context): BullJobRunner {
  if (ctx.config.queue.kind !== 'bullmq') {
    throw new ImportError('NOT_CONFIGURED', 'queued jobs need the job queue on Redis', {
      hint: 'set REDIS_URL=redis://host:6379 (and unset JOB_QUEUE=local), with workers running against it',
    });
  }
  return new BullJobRunner(ctx.config);
}
