import type { MappingEntry } from '../contacts/compile-mapping.js';
import type { CellError, SourceRecord } from '../records/record-source.js';
import type { CheckedRow, RowRules } from './check-record.js';

/**
 * What a step's sink is given of each checked row: all of it ('rows'), all but the mapped raw
 * values ('results': what import needs), or nothing but what became of it ('outcomes': a sink
 * that counts). The less a sink needs, the less crosses back from the checking thread.
 */
export type SinkNeeds = 'rows' | 'results' | 'outcomes';

/** A checked row without its mapped raw values. */
export type CheckedResult = Omit<CheckedRow, 'fields'>;

/** What the checking thread is told once: how to map and check rows, and what to answer. */
export interface CheckSetup {
  entries: MappingEntry[];
  rules: RowRules;
  needs: SinkNeeds;
}

/**
 * Records on their way to the checking thread, packed: per mapped column, its values joined
 * into one string, with their lengths. Structured clone copies a string in one go where an
 * array of strings costs it per string; a string per column keeps an ASCII column (emails,
 * phones) one-byte, which the checks' regular expressions read fastest.
 */
export interface PackedRecords {
  rows: Int32Array;
  texts: string[];
  /** Column-major: the length of column c's value in record i is at c * records + i. */
  lengths: Uint32Array;
  /** The rare records with structural problems or error cells, by position in the batch. */
  extras: Array<{ at: number; problems?: string[]; cellErrors?: CellError[] }>;
}

/**
 * A checked batch: per record, the normalized email of a valid row or null for an invalid
 * one (what dedupe needs), and the checked rows unless the sink needs only outcomes.
 */
export interface CheckedBatch {
  emails: Array<string | null>;
  checked?: CheckedResult[];
}

/** A record as checkRecord reads it: values up to the last mapped column, the unmapped ones empty. */
export interface CheckInput {
  row: number;
  values: string[];
  problems?: string[];
  cellErrors?: CellError[];
}

export function packRecords(records: readonly SourceRecord[], entries: readonly MappingEntry[]): PackedRecords {
  const n = records.length;
  const rows = new Int32Array(n);
  const lengths = new Uint32Array(n * entries.length);
  const texts: string[] = [];
  const extras: PackedRecords['extras'] = [];
  for (let i = 0; i < n; i++) {
    const record = records[i] as SourceRecord;
    rows[i] = record.row;
    if (record.problems || record.cellErrors) {
      extras.push({ at: i, ...(record.problems ? { problems: record.problems } : {}), ...(record.cellErrors ? { cellErrors: record.cellErrors } : {}) });
    }
  }
  const column = new Array<string>(n);
  for (let c = 0; c < entries.length; c++) {
    const { index } = entries[c] as MappingEntry;
    for (let i = 0; i < n; i++) {
      const value = (records[i] as SourceRecord).values[index] ?? '';
      lengths[c * n + i] = value.length;
      column[i] = value;
    }
    texts.push(column.join(''));
  }
  return { rows, texts, lengths, extras };
}

export function unpackRecords(packed: PackedRecords, entries: readonly MappingEntry[]): CheckInput[] {
  const { rows, texts, lengths } = packed;
  const n = rows.length;
  const width = entries.reduce((most, entry) => Math.max(most, entry.index + 1), 0);
  const records: CheckInput[] = new Array(n);
  for (let i = 0; i < n; i++) records[i] = { row: rows[i] as number, values: new Array<string>(width).fill('') };
  for (let c = 0; c < entries.length; c++) {
    const { index } = entries[c] as MappingEntry;
    const text = texts[c] as string;
    let offset = 0;
    for (let i = 0; i < n; i++) {
      const end = offset + (lengths[c * n + i] as number);
      (records[i] as CheckInput).values[index] = text.slice(offset, end);
      offset = end;
    }
  }
  for (const { at, problems, cellErrors } of packed.extras) Object.assign(records[at] as CheckInput, problems ? { problems } : {}, cellErrors ? { cellErrors } : {});
  return records;
}

/** The answer for rows checked by checkRecord, on whichever thread, with what the sink needs of them. */
export function checkedBatch(checked: CheckedRow[], needs: SinkNeeds): CheckedBatch {
  const emails = checked.map((row) => row.contact?.email ?? null);
  return needs === 'outcomes' ? { emails } : { emails, checked };
}

/** The row without its mapped raw values: what crosses back from the thread for 'results'. */
export function withoutFields({ fields: _fields, ...result }: CheckedRow): CheckedResult {
  return result;
}
