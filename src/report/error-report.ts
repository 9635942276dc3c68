import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { stringify, type Stringifier } from 'csv-stringify';
import { toImportError } from '../errors.js';
import { neutralizeCell } from './neutralize-cell.js';

/**
 * The rejected rows of an import as CSV: the file's original columns, then the row number and
 * the reasons. Written to a temporary file and renamed into place only when the import ends,
 * so a failed run never leaves half a report.
 */
export class ErrorReport {
  private constructor(
    readonly file: string,
    private readonly temp: string,
    private readonly csv: Stringifier,
    private readonly done: Promise<void>,
  ) {}

  static async open(file: string, columns: string[]): Promise<ErrorReport> {
    const target = path.resolve(file);
    const temp = `${target}.${process.pid}.part`;
    try {
      await fs.promises.mkdir(path.dirname(target), { recursive: true });
      const out = fs.createWriteStream(temp);
      await once(out, 'open');
      const csv = stringify({ header: true, columns: [...columns.map(neutralizeCell), '_row', '_errors'] });
      const done = new Promise<void>((resolve, reject) => {
        out.on('finish', resolve).on('error', reject);
        csv.on('error', reject);
      });
      csv.pipe(out);
      return new ErrorReport(target, temp, csv, done);
    } catch (error) {
      throw toImportError(error, `cannot write the error report ${file}`);
    }
  }

  async add(row: number, values: string[], reasons: string[]): Promise<void> {
    const ok = this.csv.write([...values.map(neutralizeCell), String(row), neutralizeCell(reasons.join('; '))]);
    if (!ok) await once(this.csv, 'drain');
  }

  /** Finishes the file and moves it into place. */
  async commit(): Promise<string> {
    this.csv.end();
    try {
      await this.done;
      await fs.promises.rename(this.temp, this.file);
    } catch (error) {
      throw toImportError(error, `cannot write the error report ${this.file}`);
    }
    return this.file;
  }

  async discard(): Promise<void> {
    this.csv.end();
    await this.done.catch(() => undefined);
    await fs.promises.rm(this.temp, { force: true });
  }
}
