// The first rows of an analysis, kept in state for `map` to try a mapping on. Bounded, so a
// file of huge cells does not become a huge state record: long cells are cut (with a marker
// saying how long they were) and rows stop being kept once the sample holds SAMPLE_MAX_CHARS.

import type { SourceRecord } from '../records/record-source.js';
import { SAMPLE_ROWS_COUNT, type SampleRow } from './stored-analysis.js';

/** Longer cells are cut: no contact field is anywhere near this long. */
export const SAMPLE_CELL_MAX_CHARS = 1000;
/** The sample's text, all cells together (about 2 MB in state). */
export const SAMPLE_MAX_CHARS = 2 * 1024 * 1024;

export class AnalysisSample {
  readonly rows: SampleRow[] = [];
  #chars = 0;
  #full = false;

  add({ row, values, problems, cellErrors }: SourceRecord): void {
    if (this.#full) return;
    let chars = 0;
    const kept = values.map((value) => {
      const cut = value.length > SAMPLE_CELL_MAX_CHARS ? truncated(value) : value;
      chars += cut.length;
      return cut;
    });
    if (this.#chars + chars > SAMPLE_MAX_CHARS && this.rows.length > 0) {
      this.#full = true;
      return;
    }
    this.#chars += chars;
    this.rows.push({ _rowIndex: row, values: kept, ...(problems ? { problems } : {}), ...(cellErrors ? { cellErrors } : {}) });
    if (this.rows.length >= SAMPLE_ROWS_COUNT) this.#full = true;
  }
}

/** The cell's start, not splitting a surrogate pair, and a marker with its full length. */
function truncated(value: string): string {
  let end = SAMPLE_CELL_MAX_CHARS;
  const last = value.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${value.slice(0, end)}… [cut: ${value.length} characters]`;
}
