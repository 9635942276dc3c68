import type { RecordSource, SourceRecord } from '../records/record-source.js';

/** The columns the rejected-rows file adds after the file's own (see import-results.ts). */
export const RESULTS_COLUMNS: readonly string[] = ['_row', '_field', '_reason'];

// What neutralizeCell puts before a cell that a spreadsheet would run as a formula.
const GUARDED = /^'[=+\-@\t\r]/;

/** Whether a header is that of a rejected-rows file this tool wrote: it ends in _row, _field, _reason. */
export function isResultsFile(columns: readonly string[]): boolean {
  const tail = columns.slice(-RESULTS_COLUMNS.length);
  return tail.length === RESULTS_COLUMNS.length && tail.every((c, i) => c === RESULTS_COLUMNS[i]);
}

/**
 * A rejected-rows file, fixed and uploaded again, reads as the original export: the `'` guard
 * put before cells starting with = + - @ TAB CR is taken off (so `'+86 10 6552 9988` is a phone
 * again). Other files are returned unchanged.
 */
export function unguardResultsFile<T extends RecordSource>(source: T): T {
  if (!isResultsFile(source.columns)) return source;
  const inner = source.records;
  async function* records(): AsyncGenerator<SourceRecord> {
    for await (const record of inner) {
      let values = record.values;
      for (let i = 0; i < values.length; i++) {
        if (GUARDED.test(values[i] as string)) {
          if (values === record.values) values = [...values];
          values[i] = (values[i] as string).slice(1);
        }
      }
      yield values === record.values ? record : { ...record, values };
    }
  }
  const warnings = source.warnings.bind(source);
  return Object.assign(source, {
    records: records(),
    // Its cells are rewritten one record at a time: no batches of the reader's own.
    batches: undefined,
    warnings: () => [
      "a rejected-rows file of this tool: the ' formula guard was taken off its cells, and its _row, _field and _reason columns are not imported",
      ...warnings(),
    ],
  });
}
