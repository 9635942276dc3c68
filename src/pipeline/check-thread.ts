import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
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

/** What the worker is given: the setup, its end of the answer channel, and the answered count. */
export interface CheckWorkerData {
  setup: CheckSetup;
  answers: MessagePort;
  answered: Int32Array;
}

/** What the worker answers a batch with: the checked batch, or why it could not check it. */
export type CheckAnswer = CheckedBatch | { error: string };

/**
 * A worker thread that maps, validates and normalizes rows (check-worker.ts) while the calling
 * thread reads, profiles and writes them: the second core does the costliest part.
 *
 * The calling thread mostly runs without yielding to the event loop (its reads resolve as
 * microtasks), so it cannot learn of answers from message events: the worker counts its
 * answers in shared memory (`pending` is exact at any moment) and posts them to a channel the
 * caller reads synchronously (receiveMessageOnPort), in the order the batches were sent. If
 * the thread fails, every later answer is an INTERNAL error.
 */
export class CheckThread {
  readonly #worker: Worker;
  readonly #answers: MessagePort;
  readonly #answered = new Int32Array(new SharedArrayBuffer(4));
  #sent = 0;
  #received = 0;
  #failure: ImportError | undefined;
  readonly #failed: Promise<void>;

  constructor(setup: CheckSetup) {
    const { port1, port2 } = new MessageChannel();
    this.#answers = port1;
    const workerData: CheckWorkerData = { setup, answers: port2, answered: this.#answered };
    this.#worker = new Worker(workerScript(), { workerData, transferList: [port2] });
    this.#failed = new Promise((resolve) => {
      this.#worker.on('error', (error) => {
        this.#fail(error.message);
        resolve();
      });
      this.#worker.on('exit', (code) => {
        this.#fail(`it exited with code ${code}`);
        resolve();
      });
    });
  }

  /** Batches sent that the thread has not answered yet. */
  get pending(): number {
    return this.#sent - Atomics.load(this.#answered, 0);
  }

  /** Sends a batch; its answer comes from `next()`, after those of the batches sent before it. */
  send(records: PackedRecords): void {
    // Copied, not transferred: transferring the two small buffers made each message ~10× dearer
    // (detaching and re-homing their backing stores), far more than copying them costs.
    this.#worker.postMessage(records);
    this.#sent++;
  }

  /** The answer to the oldest batch not yet taken, waiting for the thread if need be. */
  async next(): Promise<CheckedBatch> {
    for (;;) {
      if (this.#failure) throw this.#failure;
      const got = receiveMessageOnPort(this.#answers);
      if (got) {
        this.#received++;
        const answer = got.message as CheckAnswer;
        if ('error' in answer) throw this.#fail(answer.error);
        return answer;
      }
      // The worker posts an answer before counting it: a count past what was taken means the
      // message is there to read; otherwise wait for the count to move (or the thread to die).
      const count = Atomics.load(this.#answered, 0);
      if (count > this.#received) continue;
      await Promise.race([Atomics.waitAsync(this.#answered, 0, count).value, this.#failed]);
    }
  }

  /** Stops the thread; answers not taken are dropped. */
  async close(): Promise<void> {
    this.#failure ??= new ImportError('INTERNAL', 'the row-checking thread was closed');
    this.#answers.close();
    await this.#worker.terminate();
  }

  #fail(reason: string): ImportError {
    this.#failure ??= new ImportError('INTERNAL', `the row-checking thread failed: ${reason}`, {
      hint: 'this is a bug: report it with the file that caused it if you can',
    });
    return this.#failure;
  }
}
