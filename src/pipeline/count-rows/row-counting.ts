import type { SourceRecord } from '../../records/record-source.js';
import { CheckedRowCounter, type CheckedRowCounts, type CheckRules } from './checked-row-counter.js';
import { RowCountingThread } from './row-counting-thread.js';

/** Records handed to the counter at once. */
const BATCH_ROWS = 1024;

/**
 * Analyze's row checks, fed one record at a time in row order: on this thread, or on a
 * worker thread while this one reads and profiles the next rows.
 */
export interface RowCounting {
  /** A promise only when the counter is behind and the caller should wait for it. */
  add(record: SourceRecord): void | Promise<void>;
  /** Once every record is added: the counts. */
  finish(): Promise<CheckedRowCounts>;
  /** Frees the thread, if any; also after a failure. */
  close(): Promise<void>;
}

/**
 * Starts counting, on a worker thread when `thread` (worth it for a big file: starting one takes
 * ~50 ms) and the thread's script is there.
 */
export function startRowCounting(rules: CheckRules, { thread }: { thread: boolean }): RowCounting {
  return thread && RowCountingThread.available ? new RowCountingThread(rules) : new InlineRowCounting(rules);
}

class InlineRowCounting implements RowCounting {
  readonly #counter: CheckedRowCounter;
  #batch: SourceRecord[] = [];

  constructor(rules: CheckRules) {
    this.#counter = new CheckedRowCounter(rules);
  }

  add(record: SourceRecord): void | Promise<void> {
    this.#batch.push(record);
    if (this.#batch.length >= BATCH_ROWS) return this.#flush();
  }

  async finish(): Promise<CheckedRowCounts> {
    await this.#flush();
    return this.#counter.counts;
  }

  async close(): Promise<void> {}

  #flush(): Promise<void> {
    const batch = this.#batch;
    this.#batch = [];
    return this.#counter.add(batch);
  }
}
