import type { CountryCode } from 'libphonenumber-js';
import type { MappingPlan } from '../contacts/compile-mapping.js';
import type { ImportError } from '../errors.js';
import type { Contact } from '../contacts/fields.js';
import type { OnInvalidValue } from '../contacts/validate-contact.js';
import type { SourceRecord } from '../records/record-source.js';
import { checkRecord, type CheckedRow } from './check-record.js';
import { DuplicateTracker } from './duplicate-tracker.js';

/** A row that passed: its contact is there. */
export type ValidRow = CheckedRow & { contact: Contact };

/** A sink step's answer: nothing, or a promise the loop waits for before the next row. */
type Done = void | Promise<void>;

/**
 * What a step does with the rows: each callback is optional. A callback returns a promise only
 * when it has something to wait for, so a synchronous sink costs the loop no await per row.
 */
export interface RowSink {
  /** Every record as read, before anything else (excluded ones too). */
  read?(record: SourceRecord): void;
  /** A row the caller left out (excludeRows): not checked. */
  excluded?(record: SourceRecord): Done;
  /** A row that fails its structure or field rules. */
  invalid?(record: SourceRecord, checked: CheckedRow): Done;
  /** A valid row whose email an earlier valid row had (the first occurrence wins). */
  duplicate?(record: SourceRecord, checked: ValidRow, firstRow: number): Done;
  /** A valid row seen for the first time (every valid row when dedupe is off). */
  valid?(record: SourceRecord, checked: ValidRow): Done;
  /** After every 1024th checked row (excluded ones do not count), with that count: progress. */
  tick?(checkedRows: number): Done;
  /** Asked after each row: true ends the loop early (a preview page is full). */
  full?(): boolean;
}

export interface RowLoopOptions {
  plan: MappingPlan;
  defaultCountry: CountryCode;
  /** What a bad optional value does to its row (default 'reject'). */
  onInvalidValue?: OnInvalidValue;
  /** Data rows (1-based) to leave out unchecked. */
  excluded?: ReadonlySet<number>;
  /** Tell valid rows with an email seen before from the first ones (default true). */
  dedupe?: boolean;
  /** The emails of earlier batches, for a caller that checks a file batch by batch; default a new tracker. */
  duplicates?: DuplicateTracker;
  /** Looked at every 1024 checked rows; once aborted, the loop throws `interrupted()`. */
  signal?: AbortSignal;
  interrupted?: () => ImportError;
}

/**
 * The one row loop every step drives: read → shape (the reader) → map → validate and normalize
 * (checkRecord) → in-file dedupe, each row handed to the step's sink by what became of it.
 * Returns the number of rows checked.
 */
export async function eachCheckedRow(records: AsyncIterable<SourceRecord> | Iterable<SourceRecord>, options: RowLoopOptions, sink: RowSink): Promise<number> {
  const { plan, excluded, signal, interrupted } = options;
  const rules = { defaultCountry: options.defaultCountry, onInvalidValue: options.onInvalidValue ?? 'reject' } as const;
  const duplicates = options.dedupe === false ? undefined : (options.duplicates ?? new DuplicateTracker());
  let checkedRows = 0;
  /** After a checked row's sink step is done: the count, and every 1024 rows the signal and the tick. */
  const counted = (): Done => {
    checkedRows++;
    if ((checkedRows & 1023) !== 0) return;
    if (signal?.aborted && interrupted) throw interrupted();
    return sink.tick?.(checkedRows);
  };
  /** One record through the rules to the sink: a promise only when the sink gave one. */
  const step = (record: SourceRecord): Done => {
    sink.read?.(record);
    if (excluded?.has(record.row)) return sink.excluded?.(record);
    const checked = checkRecord(record, plan, rules);
    let wait: Done;
    if (!checked.contact) wait = sink.invalid?.(record, checked);
    else {
      const valid = checked as ValidRow;
      const firstRow = duplicates?.check(valid.contact.email, record.row);
      wait = firstRow === undefined ? sink.valid?.(record, valid) : sink.duplicate?.(record, valid, firstRow);
    }
    return wait ? wait.then(counted) : counted();
  };
  // Records already in memory are taken without an await each (a batch of a worker thread).
  if (Symbol.iterator in records) {
    for (const record of records) {
      const wait = step(record);
      if (wait) await wait;
      if (sink.full?.()) break;
    }
  } else {
    for await (const record of records) {
      const wait = step(record);
      if (wait) await wait;
      if (sink.full?.()) break;
    }
  }
  return checkedRows;
}
