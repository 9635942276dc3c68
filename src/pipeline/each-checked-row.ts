import type { CountryCode } from 'libphonenumber-js';
import type { MappingPlan } from '../contacts/compile-mapping.js';
import type { ImportError } from '../errors.js';
import type { Contact } from '../contacts/fields.js';
import type { OnInvalidValue } from '../contacts/validate-contact.js';
import type { SourceRecord } from '../records/record-source.js';
import { checkRecord, type CheckedRow } from './check-record.js';
import { checkedBatch, packRecords, type CheckedBatch, type CheckedResult, type SinkNeeds } from './check-batch.js';
import { CheckThread } from './check-thread.js';
import { DuplicateTracker } from './duplicate-tracker.js';
import { FIRST, INVALID, outcomeOf, type RowOutcome } from './row-outcome.js';

/** A row that passed: its contact is there. */
export type ValidRow = CheckedRow & { contact: Contact };

/** A sink step's answer: nothing, or a promise the loop waits for before the next row. */
type Done = void | Promise<void>;

/**
 * What a step does with the rows: each callback is optional. A callback returns a promise only
 * when it has something to wait for, so a synchronous sink costs the loop no await per row.
 * `Checked` and `Valid` are what the callbacks are given of a checked row (nothing, for an
 * OutcomeSink).
 */
export interface RowSink<Checked = CheckedRow, Valid = ValidRow> {
  /** Every record as read, before anything else (excluded ones too). */
  read?(record: SourceRecord): void;
  /** A row the caller left out (excludeRows): not checked. */
  excluded?(record: SourceRecord): Done;
  /** A row that fails its structure or field rules. */
  invalid?(record: SourceRecord, checked: Checked): Done;
  /** A valid row whose email an earlier valid row had (the first occurrence wins). */
  duplicate?(record: SourceRecord, checked: Valid, firstRow: number): Done;
  /** A valid row seen for the first time (every valid row when dedupe is off). */
  valid?(record: SourceRecord, checked: Valid): Done;
  /** After every 1024th checked row (excluded ones do not count), with that count: progress. */
  tick?(checkedRows: number): Done;
  /** Asked after each checked row: true ends the loop early (a preview page is full). */
  full?(): boolean;
}

/** A sink given each row's results but not its mapped raw values (see SinkNeeds). */
export type ResultSink = RowSink<CheckedResult, ValidResult>;
export type ValidResult = CheckedResult & { contact: Contact };

/** A sink that needs only what became of each row (it counts): given no checked values. */
export type OutcomeSink = RowSink<undefined, undefined>;

export interface RowLoopOptions {
  plan: MappingPlan;
  defaultCountry: CountryCode;
  /** What a bad optional value does to its row (default 'reject'). */
  onInvalidValue?: OnInvalidValue;
  /** Data rows (1-based) to leave out unchecked. */
  excluded?: ReadonlySet<number>;
  /** Tell valid rows with an email seen before from the first ones (default true). */
  dedupe?: boolean;
  /** Looked at every 1024 checked rows; once aborted, the loop throws `interrupted()`. */
  signal?: AbortSignal;
  interrupted?: () => ImportError;
  /**
   * Check rows on a worker thread (check-thread.ts) while this one reads the next ones
   * (default false: worth it for large files only, see worthACheckThread).
   */
  thread?: boolean;
}

/**
 * Records per batch checked on the thread (or, while it is busy, on this one). Small batches,
 * few of them ahead: a record waiting longer than a young-generation collection is promoted
 * and costs a full one, and the waiting records are what the thread adds to memory.
 */
const BATCH_ROWS = 250;
/** Batches the thread may have unanswered: one it works on, one waiting. */
const THREAD_DEPTH = 2;
/** Batches checked ahead of the one being handed to the sink, at most. */
const MAX_AHEAD = 3;

/**
 * The one row loop every step drives: read → shape (the reader) → map → validate and normalize
 * (checkRecord) → in-file dedupe, each row handed to the step's sink by what became of it, in
 * file order. Returns the number of rows checked.
 */
export function eachCheckedRow(records: AsyncIterable<SourceRecord>, options: RowLoopOptions, sink: RowSink): Promise<number>;
/** The same loop for a sink that needs less of each row: with a thread, less crosses back. */
export function eachCheckedRow(records: AsyncIterable<SourceRecord>, options: RowLoopOptions, sink: ResultSink, needs: 'results'): Promise<number>;
export function eachCheckedRow(records: AsyncIterable<SourceRecord>, options: RowLoopOptions, sink: OutcomeSink, needs: 'outcomes'): Promise<number>;
export async function eachCheckedRow(
  records: AsyncIterable<SourceRecord>,
  options: RowLoopOptions,
  sink: RowSink<CheckedResult | undefined, ValidResult | undefined>,
  needs: SinkNeeds = 'rows',
): Promise<number> {
  const { plan, excluded, signal, interrupted } = options;
  const rules = { defaultCountry: options.defaultCountry, onInvalidValue: options.onInvalidValue ?? 'reject' } as const;
  const dedupe = options.dedupe !== false;
  let checkedRows = 0;
  const tick = (): Done => {
    if (signal?.aborted && interrupted) throw interrupted();
    return sink.tick?.(checkedRows);
  };
  /** Hands a checked record to the sink (`checked` is absent only for an OutcomeSink); a promise only when there is something to wait for. */
  const deliver = (record: SourceRecord, outcome: RowOutcome, checked: CheckedResult | undefined): Done => {
    let wait: Done;
    if (outcome === INVALID) wait = sink.invalid?.(record, checked);
    else if (outcome === FIRST) wait = sink.valid?.(record, checked as ValidResult | undefined);
    else wait = sink.duplicate?.(record, checked as ValidResult | undefined, outcome);
    checkedRows++;
    if ((checkedRows & 1023) !== 0) return wait;
    return wait ? wait.then(tick) : tick();
  };

  const duplicates = dedupe ? new DuplicateTracker() : undefined;
  if (!options.thread) {
    for await (const record of records) {
      sink.read?.(record);
      if (excluded?.has(record.row)) {
        const wait = sink.excluded?.(record);
        if (wait) await wait;
        continue;
      }
      const checked = checkRecord(record, plan, rules);
      const wait = deliver(record, outcomeOf(checked.contact?.email, record.row, duplicates), checked);
      if (wait) await wait;
      if (sink.full?.()) break;
    }
    return checkedRows;
  }

  // With a thread: batches go to it while it has fewer than THREAD_DEPTH to do; otherwise this
  // thread checks the batch itself, so both cores stay busy whichever is faster. Batches are
  // handed to the sink (and deduped) in file order.
  const thread = new CheckThread({ entries: plan.entries, rules, needs });
  /** Batches in file order: checked here (their answer), or sent to the thread (answered in turn). */
  const ahead: Array<{ records: SourceRecord[]; answer: CheckedBatch | 'sent' }> = [];
  let batch: SourceRecord[] = [];
  const check = (): void => {
    const toCheck = excluded ? batch.filter((r) => !excluded.has(r.row)) : batch;
    if (thread.pending < THREAD_DEPTH) {
      thread.send(packRecords(toCheck, plan.entries));
      ahead.push({ records: batch, answer: 'sent' });
    } else {
      ahead.push({ records: batch, answer: checkedBatch(toCheck.map((record) => checkRecord(record, plan, rules)), needs) });
    }
    batch = [];
  };
  /** Hands the oldest batch checked to the sink; true when the sink is full. */
  const handOver = async (): Promise<boolean> => {
    const { records: sent, answer } = ahead.shift()!;
    const { emails, checked } = answer === 'sent' ? await thread.next() : answer;
    let k = 0;
    for (const record of sent) {
      sink.read?.(record);
      if (excluded?.has(record.row)) {
        const wait = sink.excluded?.(record);
        if (wait) await wait;
        continue;
      }
      const wait = deliver(record, outcomeOf(emails[k], record.row, duplicates), checked?.[k]);
      k++;
      if (wait) await wait;
      if (sink.full?.()) return true;
    }
    return false;
  };
  try {
    for await (const record of records) {
      batch.push(record);
      if (batch.length < BATCH_ROWS) continue;
      check();
      if (ahead.length > MAX_AHEAD && (await handOver())) return checkedRows;
    }
    if (batch.length > 0) check();
    while (ahead.length > 0) if (await handOver()) break;
    return checkedRows;
  } finally {
    await thread.close();
  }
}
