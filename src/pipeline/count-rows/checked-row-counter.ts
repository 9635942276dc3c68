import type { SourceRecord } from '../../records/record-source.js';
import { DuplicateTracker } from '../duplicate-tracker.js';
import { eachCheckedRow, type RowLoopOptions, type RowSink } from '../each-checked-row.js';

/** The rules a file's rows are checked by: the row loop's own options, without its progress and dedupe knobs. */
export type CheckRules = Pick<RowLoopOptions, 'plan' | 'defaultCountry' | 'onInvalidValue'>;

/** What analyze reports of the checked rows: valid ones, and among them the repeated emails. */
export interface CheckedRowCounts {
  validRows: number;
  duplicateRows: number;
}

/**
 * Counts what the row loop makes of a file's rows, handed over batch by batch in row order:
 * an email's first valid row wins across batches, as in one pass.
 */
export class CheckedRowCounter {
  readonly counts: CheckedRowCounts = { validRows: 0, duplicateRows: 0 };
  readonly #rules: CheckRules;
  readonly #duplicates = new DuplicateTracker();
  readonly #sink: RowSink;

  constructor(rules: CheckRules) {
    this.#rules = rules;
    const counts = this.counts;
    this.#sink = {
      valid() {
        counts.validRows++;
      },
      duplicate() {
        counts.validRows++;
        counts.duplicateRows++;
      },
    };
  }

  async add(records: Iterable<SourceRecord>): Promise<void> {
    await eachCheckedRow(records, { ...this.#rules, duplicates: this.#duplicates }, this.#sink);
  }
}
