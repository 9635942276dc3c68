import { Worker } from 'node:worker_threads';
import { ImportError } from '../errors.js';
import type { CheckedBatch, CheckSetup, PackedRecords } from './check-batch.js';

/**
 * Below this many bytes a file is checked on the calling thread: starting a thread (loading
 * the phone metadata again) costs more than it saves.
 */
const MIN_THREAD_BYTES = 4 * 1024 * 1024;

/** Whether a file of this size is worth checking on a thread of its own. */
export function worthACheckThread(totalBytes: number): boolean {
  return totalBytes >= MIN_THREAD_BYTES;
}

/**
 * The built script: the library runs from dist/, where check-worker.js sits beside this
 * module; under the test runner it runs from src/*.ts, which a thread cannot load, and the
 * build (npm test builds first) is used.
 */
function workerScript(): URL {
  const fromSource = import.meta.url.endsWith('.ts');
  return new URL(fromSource ? '../../dist/pipeline/check-worker.js' : './check-worker.js', import.meta.url);
}

/**
 * A worker thread that maps, validates and normalizes rows (check-worker.ts) while the calling
 * thread reads, profiles and writes them: the second core does the costliest part. Batches are
 * answered in the order they were sent. If the thread dies, every pending and later check
 * fails with an INTERNAL error.
 */
export class CheckThread {
  readonly #worker: Worker;
  readonly #pending: Array<{ resolve: (batch: CheckedBatch) => void; reject: (error: Error) => void }> = [];
  #failure: Error | undefined;

  constructor(setup: CheckSetup) {
    this.#worker = new Worker(workerScript(), { workerData: setup });
    this.#worker.on('message', (batch: CheckedBatch) => this.#pending.shift()?.resolve(batch));
    this.#worker.on('error', (error) => this.#fail(error.message));
    this.#worker.on('exit', (code) => this.#fail(`it exited with code ${code}`));
  }

  /** Batches sent and not yet answered. */
  get pending(): number {
    return this.#pending.length;
  }

  /** Checks a batch; resolves with its emails (and CheckedRows when set up for details). */
  check(records: PackedRecords): Promise<CheckedBatch> {
    if (this.#failure) return Promise.reject(this.#failure);
    const answer = new Promise<CheckedBatch>((resolve, reject) => this.#pending.push({ resolve, reject }));
    // Copied, not transferred: transferring the two small buffers made each message ~10× dearer
    // (detaching and re-homing their backing stores), far more than copying them costs.
    this.#worker.postMessage(records);
    return answer;
  }

  /** Stops the thread; pending checks are dropped. */
  async close(): Promise<void> {
    this.#failure ??= new ImportError('INTERNAL', 'the row-checking thread was closed');
    this.#pending.length = 0;
    await this.#worker.terminate();
  }

  #fail(reason: string): void {
    this.#failure ??= new ImportError('INTERNAL', `the row-checking thread failed: ${reason}`, {
      hint: 'this is a bug: report it with the file that caused it if you can',
    });
    for (const pending of this.#pending.splice(0)) pending.reject(this.#failure);
  }
}
