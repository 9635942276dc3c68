// Where the header row is: the first row, the row after a detected title block, or the line
// the caller names (headerRow). Rows above it are skipped and said so, never silently.

import { quoteValue } from '../../contacts/quote-value.js';
import { ImportError } from '../../errors.js';

/** Skipped rows quoted in the warning. */
const ROWS_QUOTED = 2;

/** Validates a header row given by a library caller (the CLI parses its option the same way). */
export function checkHeaderRow(value: number, file: string): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new ImportError('USAGE', `the header row must be a line number from 1, got ${value}`, {
      file,
      hint: 'set headerRow to the 1-based line (or sheet row) of the column names',
      options: ['headerRow'],
    });
  }
  return value;
}

/** The non-blank rows read above the header. */
export class SkippedRows {
  #count = 0;
  #quoted: string[] = [];

  add(fields: readonly string[]): void {
    this.#count++;
    if (this.#quoted.length >= ROWS_QUOTED) return;
    this.#quoted.push(quoteValue(fields.map((field) => field.trim()).filter(Boolean).join(' ')));
  }

  get count(): number {
    return this.#count;
  }

  /** The analyze warning, when rows were skipped. `unit` is "line" (CSV) or "row" (sheets). */
  warning(headerLine: number, unit: 'line' | 'row'): string | undefined {
    if (this.#count === 0) return undefined;
    const more = this.#count > this.#quoted.length ? ', …' : '';
    const s = this.#count === 1 ? '' : 's';
    return (
      `skipped ${this.#count} ${unit}${s} above the header row (${unit} ${headerLine}): ${this.#quoted.join(', ')}${more}; ` +
      `pass --header-row N to choose the header row yourself`
    );
  }
}

/** headerRow named a line that is not the start of a row. */
export function headerRowMissing(file: string, wanted: number, next: number | undefined, unit: 'line' | 'row'): ImportError {
  const where =
    next === undefined
      ? `there is no row at or after ${unit} ${wanted}`
      : `${unit} ${wanted} is blank or inside a multi-line value; the next row starts at ${unit} ${next}`;
  return new ImportError('USAGE', `header row ${wanted}: ${where} in ${file}`, {
    file,
    hint: `set headerRow to the ${unit} number of the column names${next === undefined ? '' : ` (e.g. ${next})`}`,
    options: ['headerRow'],
  });
}
