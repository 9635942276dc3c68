import type { ProgressEvent } from '../types.js';

// Analyses and async imports run as jobs: a route submits one and answers at once, anyone
// reads it back by id. The routes know only this interface, so the runner behind it can be
// the in-process one (LocalJobRunner) or a shared queue (BullMQ on Redis) without a route change.

export type JobStatus = 'queued' | 'running' | 'completed' | 'failed';

export interface JobFailure {
  code: string;
  message: string;
  /** In the library's words (ImportError.hintFor()). */
  hint?: string;
}

export interface JobRecord<Result = unknown> {
  id: string;
  kind: string;
  status: JobStatus;
  submittedAt: string;
  startedAt?: string;
  finishedAt?: string;
  /** The last progress event the job reported. */
  progress?: Pick<ProgressEvent, 'phase' | 'rows' | 'bytes' | 'totalBytes'>;
  result?: Result;
  /** The last failure; on a job that is queued again, the one it will be retried after. */
  error?: JobFailure;
  /** Times the job was started (a queue's retries and restarts after a worker died count). */
  attempts?: number;
  /** Said when the job is not on its first try, e.g. restarted after its worker stopped. */
  note?: string;
}

/** What a job's code gets: a signal that aborts it (the runner is stopping) and a progress sink. */
export interface JobControl {
  signal: AbortSignal;
  progress(event: ProgressEvent): void;
  /** Set when this is not the job's first run: why it runs again. */
  note?: string;
}

/** Runs one kind of job. `abandon` is called instead, for a queued job the runner will not start. */
export interface JobHandler<Payload = any> {
  run(payload: Payload, control: JobControl): Promise<unknown>;
  abandon?(payload: Payload, reason: string): Promise<void>;
}

export interface JobRunner {
  /**
   * Queues a job under `id` and resolves once it is recorded. A job of that id still queued
   * or running is not queued again: its record is returned.
   */
  submit(kind: string, id: string, payload: unknown): Promise<JobRecord>;
  /** The job's record, or null when unknown or expired. */
  get(id: string): Promise<JobRecord | null>;
  /**
   * Whether a job of this id is queued or running now. Not the same as its record's status: a
   * record can say "running" for a job whose process died.
   */
  isActive(id: string): Promise<boolean>;
  /**
   * Stops taking jobs, aborts the running ones (each records how far it got) and waits for
   * them; queued jobs are abandoned.
   */
  close(): Promise<void>;
}
