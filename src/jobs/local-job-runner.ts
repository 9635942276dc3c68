import { isImportError } from '../errors.js';
import type { StateStore } from '../state/state-store.js';
import type { ProgressEvent } from '../types.js';
import { failureOf } from './job-failure.js';
import type { JobHandler, JobRecord, JobRunner } from './job-runner.js';

export interface LocalJobRunnerOptions {
  /** Where job records live, so every process sharing the state can read them. */
  state: StateStore;
  ttlSeconds: number;
  /** Jobs running at once; the rest wait in submission order. */
  concurrency: number;
  handlers: Record<string, JobHandler>;
  /** Told about a job that failed with something other than an ImportError (a bug). */
  onUnexpectedError?: (error: unknown, job: JobRecord) => void;
}

/** A job's progress is written to the state at most this often. */
const PROGRESS_INTERVAL_MS = 500;

export const jobKey = (id: string) => `job:${id}`;

interface Queued {
  record: JobRecord;
  payload: unknown;
}

/**
 * Runs jobs inside this process, `concurrency` at a time. Each job's record (queued → running
 * → completed/failed, with its progress and result) is kept in the state store.
 */
export class LocalJobRunner implements JobRunner {
  private readonly queue: Queued[] = [];
  private readonly active = new Map<string, Promise<void>>();
  /** The latest record of each running job (its state write may still be on its way). */
  private readonly running = new Map<string, JobRecord>();
  private readonly controller = new AbortController();
  private closed = false;

  constructor(private readonly options: LocalJobRunnerOptions) {}

  async submit(kind: string, id: string, payload: unknown): Promise<JobRecord> {
    if (this.closed) throw new Error('the job runner is stopping');
    if (!this.options.handlers[kind]) throw new Error(`no handler for jobs of kind "${kind}"`);
    const pending = this.queue.find((q) => q.record.id === id)?.record;
    if (pending) return pending;
    const running = this.running.get(id);
    if (running) return running;
    const record: JobRecord = { id, kind, status: 'queued', submittedAt: new Date().toISOString() };
    await this.save(record);
    this.queue.push({ record, payload });
    this.pump();
    return record;
  }

  get(id: string): Promise<JobRecord | null> {
    return this.options.state.get<JobRecord>(jobKey(id));
  }

  async isActive(id: string): Promise<boolean> {
    return this.running.has(id) || this.queue.some((q) => q.record.id === id);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.controller.abort();
    const abandoned = this.queue.splice(0);
    await Promise.allSettled([...this.active.values()]);
    for (const { record, payload } of abandoned) {
      const reason = 'the server stopped before this job started';
      await this.options.handlers[record.kind]!.abandon?.(payload, reason).catch(() => undefined);
      await this.save({ ...record, status: 'failed', finishedAt: new Date().toISOString(), error: { code: 'INTERRUPTED', message: reason } }).catch(
        () => undefined,
      );
    }
  }

  private pump(): void {
    while (!this.closed && this.active.size < this.options.concurrency && this.queue.length > 0) {
      const next = this.queue.shift()!;
      const running = this.run(next).finally(() => {
        this.active.delete(next.record.id);
        this.running.delete(next.record.id);
        this.pump();
      });
      this.active.set(next.record.id, running);
      this.running.set(next.record.id, { ...next.record, status: 'running' });
    }
  }

  private async run({ record, payload }: Queued): Promise<void> {
    let current: JobRecord = { ...record, status: 'running', startedAt: new Date().toISOString() };
    let lastWrite = 0;
    let writing: Promise<unknown> = this.save(current).catch(() => undefined);
    const progress = (event: ProgressEvent): void => {
      const now = Date.now();
      if (now - lastWrite < PROGRESS_INTERVAL_MS) return;
      lastWrite = now;
      const { phase, rows, bytes, totalBytes } = event;
      current = { ...current, progress: { phase, rows, bytes, totalBytes } };
      const snapshot = current;
      writing = writing.then(() => this.save(snapshot)).catch(() => undefined);
    };
    try {
      const result = await this.options.handlers[record.kind]!.run(payload, { signal: this.controller.signal, progress });
      current = { ...current, status: 'completed', finishedAt: new Date().toISOString(), result };
    } catch (error) {
      if (!isImportError(error)) this.options.onUnexpectedError?.(error, current);
      current = { ...current, status: 'failed', finishedAt: new Date().toISOString(), error: failureOf(error) };
    }
    await writing;
    await this.save(current).catch((error) => this.options.onUnexpectedError?.(error, current));
  }

  private save(record: JobRecord): Promise<void> {
    return this.options.state.set(jobKey(record.id), record, this.options.ttlSeconds);
  }
}
