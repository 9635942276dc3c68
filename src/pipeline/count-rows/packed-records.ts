// Records sent to the row-counting thread, cut down to the mapped columns: their numbers in
// transferred typed arrays, their values in one flat list the message clones (exactly, lone
// surrogates too, and keeping each string's one-byte form, which the checks run faster on).

import type { MappingPlan } from '../../contacts/compile-mapping.js';
import type { CellError, SourceRecord } from '../../records/record-source.js';

/** A batch of records, each cut down to the plan's columns, in the plan's order. */
export interface PackedRecords {
  rows: Uint32Array<ArrayBuffer>;
  lines: Uint32Array<ArrayBuffer>;
  /** The kept values, record after record. */
  values: string[];
  /** The rare records with structural problems or error cells in kept columns, by position. */
  extras: { at: number; problems?: string[]; cellErrors?: CellError[] }[];
}

/**
 * The plan for packed records: the same fields, each entry's column index now its position
 * among the kept values.
 */
export function packedPlan(plan: MappingPlan): MappingPlan {
  return { mapping: plan.mapping, entries: plan.entries.map((entry, at) => ({ ...entry, index: at })) };
}

/** Gathers up to `capacity` records into a batch for `plan`'s columns. */
export class RecordPacker {
  readonly #indexes: readonly number[];
  readonly #capacity: number;
  #rows!: Uint32Array<ArrayBuffer>;
  #lines!: Uint32Array<ArrayBuffer>;
  #values: string[] = [];
  #extras: PackedRecords['extras'] = [];
  #size = 0;
  #chars = 0;

  constructor(plan: MappingPlan, capacity: number) {
    this.#indexes = plan.entries.map((entry) => entry.index);
    this.#capacity = capacity;
    this.#reset();
  }

  /** Records in the batch. */
  get size(): number {
    return this.#size;
  }

  /** UTF-16 units in the batch's values. */
  get chars(): number {
    return this.#chars;
  }

  /** Whether the batch holds `capacity` records. */
  get full(): boolean {
    return this.#size === this.#capacity;
  }

  add(record: SourceRecord): void {
    const indexes = this.#indexes;
    const values = record.values;
    const kept = this.#values;
    let chars = this.#chars;
    for (let i = 0; i < indexes.length; i++) {
      const value = values[indexes[i]!] ?? '';
      kept.push(value);
      chars += value.length;
    }
    this.#chars = chars;
    if (record.problems !== undefined || record.cellErrors !== undefined) this.#addExtra(record);
    this.#rows[this.#size] = record.row;
    this.#lines[this.#size++] = record.line;
  }

  /** The batch so far (its arrays are the packer's, to transfer); the packer starts a new one. */
  take(): PackedRecords {
    const size = this.#size;
    const packed: PackedRecords = {
      rows: this.#rows.subarray(0, size),
      lines: this.#lines.subarray(0, size),
      values: this.#values,
      extras: this.#extras,
    };
    this.#reset();
    return packed;
  }

  #reset(): void {
    this.#rows = new Uint32Array(this.#capacity);
    this.#lines = new Uint32Array(this.#capacity);
    this.#values = [];
    this.#extras = [];
    this.#size = 0;
    this.#chars = 0;
  }

  #addExtra(record: SourceRecord): void {
    const extra: PackedRecords['extras'][number] = { at: this.#size };
    if (record.problems !== undefined) extra.problems = record.problems;
    // An error cell in a column no field reads is nothing (see checkRecord); the others move to their kept position.
    const cellErrors = record.cellErrors?.flatMap((cell) => {
      const at = this.#indexes.indexOf(cell.column);
      return at === -1 ? [] : [{ column: at, message: cell.message }];
    });
    if (cellErrors !== undefined && cellErrors.length > 0) extra.cellErrors = cellErrors;
    if (extra.problems !== undefined || extra.cellErrors !== undefined) this.#extras.push(extra);
  }
}

/** The records of a batch, `width` values each (the packed plan's entries). */
export function unpackRecords(packed: PackedRecords, width: number): SourceRecord[] {
  const { rows, lines, values } = packed;
  const records: SourceRecord[] = new Array(rows.length);
  for (let r = 0; r < rows.length; r++) {
    records[r] = { row: rows[r]!, line: lines[r]!, values: values.slice(r * width, (r + 1) * width) };
  }
  for (const { at, problems, cellErrors } of packed.extras) {
    const record = records[at]!;
    if (problems !== undefined) record.problems = problems;
    if (cellErrors !== undefined) record.cellErrors = cellErrors;
  }
  return records;
}
