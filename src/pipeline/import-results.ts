import path from 'node:path';
import { ResultsCsv } from '../report/results-csv.js';
import { isResultsFile, RESULTS_COLUMNS } from './results-file-input.js';
import type { BlankedValue } from '../contacts/validate-contact.js';
import type { BlankedRowValue, RowError } from '../types.js';
import type { FieldKey } from '../contacts/fields.js';

/** Rejections kept in the summary; the results file has all of them. */
const MAX_REPORTED_ERRORS = 100;

export interface ImportResultsOptions {
  /** The file's header, the first columns of both files. */
  columns: string[];
  /** Where the rejected rows go: this path, else `<resultsDir>/<importId>.rejected.csv` once one is rejected. */
  errorsOut?: string;
  /** The imported rows with their contact ids, only when asked for. */
  importedOut?: string;
  resultsDir: string;
  importId: string;
}

/**
 * What an import tells people about its rows besides the counts: the first rejections for the
 * summary, every rejected row as CSV (original values, row number, fields, reasons) and,
 * optionally, every imported row with its contact id. The files appear under their names
 * only when the import ends; a failed run leaves none.
 */
export class ImportResults {
  readonly errors: RowError[] = [];
  /** The first bad values left out of imported contacts (onInvalidValue 'blank'). */
  readonly blanked: BlankedRowValue[] = [];
  /** How many values were left out in all. */
  blankedCount = 0;
  /** The first warnings about rows (error cells in mapped columns), each naming its row. */
  readonly warnings: string[] = [];
  private rejected: ResultsCsv | undefined;
  private imported: ResultsCsv | undefined;

  /** The file's own columns: a re-imported rejected-rows file's _row, _field, _reason are replaced, not repeated. */
  private readonly width: number;

  private constructor(private readonly options: ImportResultsOptions) {
    this.width = isResultsFile(options.columns) ? options.columns.length - RESULTS_COLUMNS.length : options.columns.length;
  }

  static async open(options: ImportResultsOptions): Promise<ImportResults> {
    const results = new ImportResults(options);
    // Asked-for files exist even when empty; the default rejected file only when needed.
    const columns = options.columns.slice(0, results.width);
    if (options.errorsOut) results.rejected = await ResultsCsv.open(options.errorsOut, rejectedHeader(columns));
    if (options.importedOut) results.imported = await ResultsCsv.open(options.importedOut, [...columns, '_row', '_id', '_outcome']);
    return results;
  }

  async reject(row: number, values: string[], fields: readonly FieldKey[], reasons: string[]): Promise<void> {
    if (this.errors.length < MAX_REPORTED_ERRORS) this.errors.push({ row, message: reasons.join('; ') });
    await this.add(row, values, fields, reasons);
  }

  private async add(row: number, values: string[], fields: readonly FieldKey[], reasons: string[]): Promise<void> {
    this.rejected ??= await ResultsCsv.open(
      path.join(this.options.resultsDir, `${this.options.importId}.rejected.csv`),
      rejectedHeader(this.options.columns.slice(0, this.width)),
    );
    await this.rejected.add([...values.slice(0, this.width), String(row), fields.join('; '), reasons.join('; ')]);
  }

  /**
   * A contact imported without some of its values: the row goes into the rejected-values
   * file too (original values, its row, the fields and why), so they can be fixed at the source.
   */
  async blank(row: number, values: string[], blanked: readonly BlankedValue[]): Promise<void> {
    for (const b of blanked) {
      this.blankedCount++;
      if (this.blanked.length < MAX_REPORTED_ERRORS) this.blanked.push({ row, field: b.field, value: b.value, message: b.message });
    }
    await this.add(row, values, blanked.map((b) => b.field), [...blanked.map((b) => b.message), 'imported without it (onInvalidValue blank)']);
  }

  /** Notes about a row that changed nothing of its outcome. */
  warn(row: number, warnings: readonly string[]): void {
    for (const w of warnings) if (this.warnings.length < MAX_REPORTED_ERRORS) this.warnings.push(`row ${row}: ${w}`);
  }

  async written(row: number, values: string[], id: number | null, outcome: 'inserted' | 'updated'): Promise<void> {
    await this.imported?.add([...values.slice(0, this.width), String(row), id === null ? '' : String(id), outcome]);
  }

  /** Whether imported rows are wanted (so a resumed run looks their ids up). */
  get wantsImported(): boolean {
    return this.imported !== undefined;
  }

  async commit(): Promise<{ errorReport: string | null; importedReport: string | null }> {
    const errorReport = this.rejected ? await this.rejected.commit() : null;
    const importedReport = this.imported ? await this.imported.commit() : null;
    return { errorReport, importedReport };
  }

  async discard(): Promise<void> {
    await this.rejected?.discard().catch(() => undefined);
    await this.imported?.discard().catch(() => undefined);
  }
}

function rejectedHeader(columns: string[]): string[] {
  return [...columns, '_row', '_field', '_reason'];
}
