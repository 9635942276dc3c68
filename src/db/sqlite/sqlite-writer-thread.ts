import { Worker } from 'node:worker_threads';
import { workerScript } from '../../threads/worker-script.js';
import type { Contact } from '../../contacts/fields.js';
import type { WriteOutcome, WrittenRow } from '../contact-store.js';
import type { BatchOptions, Row, SqlValue } from '../engine.js';

/** What the worker is started with: the database file (already created, its schema ensured) and the contacts table. */
export interface WriterSetup {
  file: string;
  table: string;
}

type WriterCall =
  | { op: 'write'; contacts: Contact[]; options: BatchOptions; now: string }
  | { op: 'run' | 'all'; sql: string; params: readonly SqlValue[] }
  | { op: 'commit' | 'rollback' | 'close' };

export type WriterRequest = WriterCall & { id: number };

/** A batch's outcomes, packed: each row's outcome as its index in OUTCOMES, and its id (NaN for none). */
export interface PackedWritten {
  outcomes: Uint8Array;
  ids: Float64Array;
}

export type WriterAnswer = { id: number } & ({ ok: true; value: unknown } | { ok: false; message: string; code?: string });

/** The worker's script; undefined when it is missing (see workerScript). */
const SCRIPT = workerScript(import.meta.url, 'sqlite-writer-worker');

export const OUTCOMES: readonly WriteOutcome[] = ['inserted', 'updated', 'existing'];

/**
 * A second connection to a SQLite file, on a worker thread (sqlite-writer-worker.ts), that
 * writes contact batches while the calling thread reads and checks the next rows. A batch is
 * written in a transaction the thread opens and keeps open: the caller runs the batch's
 * checkpoint in it (run/all) and then commits or rolls back. Requests are answered in order;
 * the thread keeps the process alive only while one is waiting. If it dies, every request
 * fails with why.
 */
export class SqliteWriterThread {
  /** Whether a thread can start: its script is there (else batches are written on the calling thread). */
  static readonly available = SCRIPT !== undefined;
  readonly #worker: Worker;
  readonly #waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  #next = 0;
  #stopped: Error | undefined;

  constructor(setup: WriterSetup) {
    if (SCRIPT === undefined) throw new Error('the SQLite writer thread has no script to run');
    this.#worker = new Worker(SCRIPT, { workerData: setup });
    this.#worker.unref();
    this.#worker.on('message', (answer: WriterAnswer) => {
      const waiting = this.#waiting.get(answer.id);
      if (!waiting) return;
      this.#waiting.delete(answer.id);
      if (this.#waiting.size === 0) this.#worker.unref();
      if (answer.ok) waiting.resolve(answer.value);
      else waiting.reject(Object.assign(new Error(answer.message), answer.code === undefined ? {} : { code: answer.code }));
    });
    this.#worker.on('error', (error) => this.#stop(`the SQLite writer thread failed: ${error.message}`));
    this.#worker.on('exit', (code) => this.#stop(`the SQLite writer thread exited (code ${code})`));
  }

  /** BEGIN IMMEDIATE, then the batch; the transaction stays open for commit() or rollback(). */
  async write(contacts: Contact[], options: BatchOptions, now: string): Promise<WrittenRow[]> {
    const { outcomes, ids } = (await this.#ask({ op: 'write', contacts, options: { importId: options.importId, onDuplicate: options.onDuplicate }, now })) as PackedWritten;
    const written: WrittenRow[] = new Array(outcomes.length);
    for (let i = 0; i < outcomes.length; i++) written[i] = { outcome: OUTCOMES[outcomes[i]!]!, id: Number.isNaN(ids[i]) ? null : ids[i]! };
    return written;
  }

  async run(sql: string, params: readonly SqlValue[]): Promise<number> {
    return (await this.#ask({ op: 'run', sql, params })) as number;
  }

  async all(sql: string, params: readonly SqlValue[]): Promise<Row[]> {
    return (await this.#ask({ op: 'all', sql, params })) as Row[];
  }

  async commit(): Promise<void> {
    await this.#ask({ op: 'commit' });
  }

  /** Rolls back the open transaction, if any. */
  async rollback(): Promise<void> {
    await this.#ask({ op: 'rollback' });
  }

  /** Closes the thread's connection (rolling back an open transaction) and ends the thread. */
  async close(): Promise<void> {
    try {
      if (!this.#stopped) await this.#ask({ op: 'close' });
    } finally {
      this.#stop('the SQLite writer thread was closed');
      await this.#worker.terminate();
    }
  }

  #ask(request: WriterCall): Promise<unknown> {
    if (this.#stopped) return Promise.reject(this.#stopped);
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      if (this.#waiting.size === 0) this.#worker.ref();
      this.#waiting.set(id, { resolve, reject });
      this.#worker.postMessage({ ...request, id });
    });
  }

  #stop(reason: string): void {
    this.#stopped ??= new Error(reason);
    for (const { reject } of this.#waiting.values()) reject(this.#stopped);
    this.#waiting.clear();
  }
}
