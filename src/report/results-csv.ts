import * as fsp from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import { stringify, type Stringifier } from 'csv-stringify';
import { ImportError, isImportError } from '../errors.js';
import { openPrivateTemp, type PrivateTemp } from '../streams/private-files.js';
import { neutralizeCell } from './neutralize-cell.js';

/**
 * A CSV the tool writes for people (rejected rows, imported rows): every cell neutralized
 * against formula injection, written to a private temporary file (created exclusively, so a
 * planted symlink is never followed) and renamed into place only when the import ends, so a
 * failed or killed run never leaves half a file under the real name.
 *
 * A write error (a full disk, say) is kept, not thrown from a stream: the next add() or
 * commit() throws it as one IO error, and discard() removes the temporary file.
 */
export class ResultsCsv {
  private failure: ImportError | undefined;
  private readonly done: Promise<void>;

  private constructor(
    readonly file: string,
    private readonly temp: string,
    private readonly csv: Stringifier,
    handle: PrivateTemp['handle'],
  ) {
    // The stream closes the handle when it finishes or fails.
    this.done = pipeline(csv, handle.createWriteStream()).catch((error: unknown) => {
      this.failure ??= writeError(file, error);
    });
  }

  static async open(file: string, header: string[]): Promise<ResultsCsv> {
    const target = path.resolve(file);
    let temp: PrivateTemp | undefined;
    try {
      temp = await openPrivateTemp(target);
    } catch (error) {
      throw writeError(target, error);
    }
    const csv = stringify({ header: true, columns: header.map(neutralizeCell) });
    return new ResultsCsv(target, temp.path, csv, temp.handle);
  }

  async add(cells: string[]): Promise<void> {
    await this.check();
    if (!this.csv.write(cells.map(neutralizeCell))) {
      await Promise.race([once(this.csv, 'drain').catch(() => undefined), this.done]);
      await this.check();
    }
  }

  /** Finishes the file and moves it into place. */
  async commit(): Promise<string> {
    this.csv.end();
    await this.done;
    await this.check();
    try {
      await fsp.rename(this.temp, this.file);
    } catch (error) {
      throw writeError(this.file, error);
    }
    return this.file;
  }

  async discard(): Promise<void> {
    if (!this.csv.destroyed) this.csv.destroy();
    await this.done;
    await fsp.rm(this.temp, { force: true });
  }

  private async check(): Promise<void> {
    // A destroyed stream has failed, or is about to say so.
    if (this.csv.destroyed) await this.done;
    if (this.failure) throw this.failure;
  }
}

function writeError(file: string, error: unknown): ImportError {
  if (isImportError(error)) return error;
  const reason = error instanceof Error ? error.message : String(error);
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const fix = code === 'ENOSPC' || code === 'EDQUOT' || code === 'EFBIG' ? 'make room on the disk' : 'check that the folder is writable';
  return new ImportError('IO', `cannot write ${file}: ${reason}`, {
    hint: `${fix} (or write the file elsewhere), then run the same import again: it resumes`,
    cause: error,
  });
}
