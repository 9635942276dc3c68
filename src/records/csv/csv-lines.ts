// The tokenizer's records, read from a text stream a chunk at a time and handed out in
// batches: one await per chunk rather than one per record (a CSV record is ~130 bytes, a
// chunk 64 KiB), which the record stream's consumers then take synchronously.

import type { Readable } from 'node:stream';
import type { CsvRecord, CsvTokenizer } from './csv-tokenizer.js';
import type { InvalidUtf8, Utf8Check } from './utf8-check.js';
import { isBlankRow } from '../shape-row.js';

export interface Line {
  fields: string[];
  line: number;
  /** Invalid UTF-8 sequences inside the record. */
  invalid?: InvalidUtf8[];
  /** The fields may hold control characters (see ControlCharacters). */
  controls?: true;
  /** Over the tokenizer's maxRecordBytes: `fields` is empty. */
  tooLarge?: true;
}

export class CsvLines {
  readonly #text: Readable;
  readonly #chunks: AsyncIterator<Buffer | string>;
  readonly #tokenizer: CsvTokenizer;
  readonly #utf8: Utf8Check | undefined;
  #batch: Line[] = [];
  #index = 0;
  #ended = false;
  /** A tokenizer error, thrown once the records read before it are handed out. */
  #failure: unknown;

  /** `utf8`: the check the bytes went through, which knows where invalid sequences are. */
  constructor(text: Readable, tokenizer: CsvTokenizer, utf8: Utf8Check | undefined) {
    this.#text = text;
    this.#chunks = text[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
    this.#tokenizer = tokenizer;
    this.#utf8 = utf8;
  }

  /** The next non-blank line, or undefined at the end of the text. */
  async next(): Promise<Line | undefined> {
    while (this.#index >= this.#batch.length) {
      if (!(await this.#fill())) return undefined;
    }
    return this.#batch[this.#index++];
  }

  /** The lines not taken by next(), a batch at a time. */
  async *batches(): AsyncGenerator<Line[]> {
    if (this.#index < this.#batch.length) yield this.#batch.slice(this.#index);
    while (await this.#fill()) yield this.#batch;
  }

  /** Stops the input (the consumer broke out early, or failed). */
  close(): void {
    if (!this.#text.destroyed) this.#text.destroy();
  }

  /** Reads the next chunk's lines into #batch; false at the end. */
  async #fill(): Promise<boolean> {
    this.#batch = [];
    this.#index = 0;
    if (this.#failure !== undefined) throw this.#failure;
    if (this.#ended) return false;
    const records: CsvRecord[] = [];
    try {
      const chunk = await this.#chunks.next();
      if (chunk.done) {
        this.#ended = true;
        this.#tokenizer.end(records);
      } else {
        const value = chunk.value;
        // Text from iconv-lite goes in as the strings it decoded: decoded once, never re-encoded.
        this.#tokenizer.push(value, records);
      }
    } catch (error) {
      // Records completed before the error still come first, as they would from a stream.
      this.#failure = error;
      this.#ended = true;
    }
    for (const record of records) {
      const invalid = this.#utf8?.takeBefore(record.end);
      if (record.tooLarge) {
        this.#batch.push({ fields: [], line: record.line, tooLarge: true });
        continue;
      }
      if (isBlankRow(record.fields)) continue;
      const line: Line = { fields: record.fields, line: record.line };
      if (invalid && invalid.length > 0) line.invalid = invalid;
      if (record.controls) line.controls = true;
      this.#batch.push(line);
    }
    if (this.#batch.length === 0 && this.#failure !== undefined) throw this.#failure;
    return this.#batch.length > 0 || !this.#ended;
  }
}
