import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { stringify, type Stringifier } from 'csv-stringify';
import { toImportError } from '../errors.js';
import { neutralizeCell } from './neutralize-cell.js';

/**
 * A CSV the tool writes for people (rejected rows, imported rows): every cell neutralized
 * against formula injection, written to a temporary file and renamed into place only when
 * the import ends, so a failed or killed run never leaves half a file under the real name.
 */
export class ResultsCsv {
  private constructor(
    readonly file: string,
    private readonly temp: string,
    private readonly csv: Stringifier,
    private readonly done: Promise<void>,
  ) {}

  static async open(file: string, header: string[]): Promise<ResultsCsv> {
    const target = path.resolve(file);
    const temp = `${target}.${process.pid}.part`;
    try {
      await fs.promises.mkdir(path.dirname(target), { recursive: true });
      const out = fs.createWriteStream(temp);
      await once(out, 'open');
      const csv = stringify({ header: true, columns: header.map(neutralizeCell) });
      const done = new Promise<void>((resolve, reject) => {
        out.on('finish', resolve).on('error', reject);
        csv.on('error', reject);
      });
      csv.pipe(out);
      return new ResultsCsv(target, temp, csv, done);
    } catch (error) {
      throw toImportError(error, `cannot write ${file}`);
    }
  }

  async add(cells: string[]): Promise<void> {
    if (!this.csv.write(cells.map(neutralizeCell))) await once(this.csv, 'drain');
  }

  /** Finishes the file and moves it into place. */
  async commit(): Promise<string> {
    this.csv.end();
    try {
      await this.done;
      await fs.promises.rename(this.temp, this.file);
    } catch (error) {
      throw toImportError(error, `cannot write ${this.file}`);
    }
    return this.file;
  }

  async discard(): Promise<void> {
    this.csv.end();
    await this.done.catch(() => undefined);
    await fs.promises.rm(this.temp, { force: true });
  }
}
