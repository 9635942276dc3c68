import { CsvError } from 'csv-parse';

// Physical line numbers are counted here rather than taken from csv-parse's info.lines, which
// counts a CRLF inside a quoted field as two lines. on_record runs inside the parser, in file
// order, so the count is also right for an error hit while earlier records sit in its buffer.

/** Tracks the physical lines (CRLF, LF or a lone CR each end one) each record spans. */
export class LineCounter {
  #lastLine: number;
  #emptyLines = 0;

  constructor(linesBefore: number) {
    this.#lastLine = linesBefore;
  }

  /** First and last line of a record; `emptyLines` is csv-parse's running count of skipped lines. */
  place(fields: readonly string[], emptyLines: number): { line: number; endLine: number } {
    const line = this.#lastLine + 1 + (emptyLines - this.#emptyLines);
    this.#emptyLines = emptyLines;
    this.#lastLine = line + countLineBreaks(fields);
    return { line, endLine: this.#lastLine };
  }

  /** Start line of the record a parse error interrupted. */
  startOfFailed(error: unknown): number {
    const emptyLines =
      error instanceof CsvError && typeof error.empty_lines === 'number' ? error.empty_lines : this.#emptyLines;
    return this.#lastLine + 1 + (emptyLines - this.#emptyLines);
  }
}

function countLineBreaks(fields: readonly string[]): number {
  let breaks = 0;
  for (const field of fields) {
    if (!field.includes('\n') && !field.includes('\r')) continue;
    breaks += field.match(/\r\n|\r|\n/g)?.length ?? 0;
  }
  return breaks;
}
