import { Queue, type Job, type JobState } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Config } from '../config.js';
import type { RedisTarget } from '../state/redis-url.js';
import { bullConnection, queueCall } from './bull-connection.js';
import type { JobFailure, JobRecord, JobRunner, JobStatus } from './job-runner.js';

/** The queues, one per kind of job, so a worker can take only some kinds. */
export const JOB_KINDS = ['analyze', 'import'] as const;
export type JobKind = (typeof JOB_KINDS)[number];

/** What a BullMQ job carries: our id (BullMQ ids may not contain ':') and the handler's payload. */
export interface QueuedJobData {
  id: string;
  payload: unknown;
}

/** BullMQ's form of a job id. */
export const bullJobId = (id: string) => id.replace(/:/g, '.');

/**
 * Jobs on BullMQ queues in Redis: submitted here, run by `contact-import worker` processes
 * (startWorkers) on any machine with the same REDIS_URL and REDIS_PREFIX. A job is retried
 * with exponential backoff after a transient failure, taken over by another worker when its
 * worker dies (BullMQ's stalled-job check), and kept for TTL_SECONDS once it ends.
 */
export class BullJobRunner implements JobRunner {
  private readonly queues = new Map<JobKind, Queue>();
  private readonly redis: Redis;
  private readonly target: RedisTarget;

  constructor(private readonly config: Config) {
    ({ redis: this.redis, target: this.target } = bullConnection(config, 'queue'));
  }

  queue(kind: string): Queue {
    if (!(JOB_KINDS as readonly string[]).includes(kind)) throw new Error(`no queue for jobs of kind "${kind}"`);
    let queue = this.queues.get(kind as JobKind);
    if (!queue) {
      queue = new Queue(kind, { connection: this.redis, prefix: this.config.queue.prefix });
      queue.on('error', () => undefined);
      this.queues.set(kind as JobKind, queue);
    }
    return queue;
  }

  submit(kind: string, id: string, payload: unknown): Promise<JobRecord> {
    const queue = this.queue(kind);
    return queueCall(this.target, `queue job ${id}`, async () => {
      const existing = await queue.getJob(bullJobId(id));
      if (existing) {
        const state = await existing.getState();
        // Still to do or under way: the same work, not queued twice.
        if (state !== 'completed' && state !== 'failed' && state !== 'unknown') return recordOf(existing, state);
        // Done before: asked again, it runs again (the import's own records say it is already done).
        await existing.remove().catch(() => undefined);
      }
      const { attempts, backoffMs } = this.config.queue;
      const age = this.config.ttlSeconds;
      const data: QueuedJobData = { id, payload };
      const job = await queue.add(kind, data, {
        jobId: bullJobId(id),
        attempts,
        backoff: { type: 'exponential', delay: backoffMs },
        removeOnComplete: { age },
        removeOnFail: { age },
      });
      return recordOf(job, await job.getState());
    });
  }

  async get(id: string): Promise<JobRecord | null> {
    const found = await this.find(id);
    return found ? recordOf(found.job, found.state) : null;
  }

  async isActive(id: string): Promise<boolean> {
    const found = await this.find(id);
    if (!found) return false;
    const { status } = recordOf(found.job, found.state);
    return status === 'queued' || status === 'running';
  }

  /** Jobs of these states, newest first, at most `limit` of each kind. */
  list(states: JobState[], limit = 100): Promise<JobRecord[]> {
    return queueCall(this.target, 'list jobs', async () => {
      const records: JobRecord[] = [];
      for (const kind of JOB_KINDS) {
        const queue = this.queue(kind);
        for (const state of states) {
          const jobs = await queue.getJobs([state], 0, limit - 1, false);
          for (const job of jobs) if (job) records.push(recordOf(job, state));
        }
      }
      return records.sort((a, b) => (a.submittedAt < b.submittedAt ? 1 : -1));
    });
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.queues.values()].map((queue) => queue.close()));
    this.redis.disconnect();
  }

  private find(id: string): Promise<{ job: Job; state: JobState | 'unknown' } | null> {
    const kind = id.startsWith('analyze:') ? 'analyze' : 'import';
    return queueCall(this.target, `read job ${id}`, async () => {
      // State first: a job that completes between the two reads is then seen as still active
      // (and polled again), never as completed without its result.
      const state = await this.queue(kind).getJobState(bullJobId(id));
      const job = await this.queue(kind).getJob(bullJobId(id));
      if (!job) return null;
      return { job, state };
    });
  }
}

/** Our record of a BullMQ job: the same shape LocalJobRunner keeps. */
export function recordOf(job: Job, state: JobState | 'unknown' | string): JobRecord {
  const data = job.data as QueuedJobData;
  const attempts = job.attemptsStarted || undefined;
  const record: JobRecord = {
    id: data.id,
    kind: job.name,
    status: statusOf(state, job),
    submittedAt: new Date(job.timestamp).toISOString(),
    ...(job.processedOn ? { startedAt: new Date(job.processedOn).toISOString() } : {}),
    ...(job.finishedOn && (state === 'completed' || state === 'failed') ? { finishedAt: new Date(job.finishedOn).toISOString() } : {}),
    ...(job.progress && typeof job.progress === 'object' ? { progress: job.progress as JobRecord['progress'] } : {}),
    ...(state === 'completed' ? { result: job.returnvalue } : {}),
    ...(job.failedReason ? { error: parseFailure(job.failedReason) } : {}),
    ...(attempts ? { attempts } : {}),
  };
  const note = noteOf(job, record.status);
  return note ? { ...record, note } : record;
}

function statusOf(state: string, job: Job): JobStatus {
  if (state === 'active') return 'running';
  if (state === 'completed') return 'completed';
  if (state === 'failed') return 'failed';
  // Removed between reading it and asking its state: what its timestamps say.
  if (state === 'unknown') return job.finishedOn ? (job.failedReason ? 'failed' : 'completed') : 'queued';
  return 'queued';
}

function noteOf(job: Job, status: JobStatus): string | undefined {
  if (job.stalledCounter > 0) {
    const restarted = status === 'completed' ? 'was restarted' : status === 'failed' ? 'stopped' : 'is restarted';
    return `its worker stopped ${job.stalledCounter === 1 ? 'once' : `${job.stalledCounter} times`}: the job ${restarted} by another worker (imports resume from their last checkpoint, analyses start over)`;
  }
  if (status === 'queued' && job.attemptsMade > 0) return `attempt ${job.attemptsMade} failed; retried after a backoff`;
  return undefined;
}

/** Workers record a failure as JSON in BullMQ's failedReason; BullMQ's own reasons are plain text. */
export function parseFailure(reason: string): JobFailure {
  try {
    const parsed = JSON.parse(reason) as JobFailure;
    if (parsed && typeof parsed.code === 'string' && typeof parsed.message === 'string') return parsed;
  } catch {
    // Not ours.
  }
  return { code: 'INTERRUPTED', message: reason };
}
