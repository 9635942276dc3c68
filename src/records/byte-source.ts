// The readers need to look at the first bytes (file kind, encoding, delimiter) before they
// choose how to parse the rest, without losing those bytes. ByteSource pulls chunks from the
// input on demand, so backpressure is kept, and counts the bytes taken for progress.

import { Readable } from 'node:stream';
import { ImportError } from '../errors.js';

export interface Head {
  head: Buffer;
  /** True when `head` is the whole input. */
  complete: boolean;
}

export class ByteSource {
  readonly #input: Readable;
  readonly #fileName: string;
  readonly #chunks: AsyncIterator<unknown>;
  #buffered: Buffer[] = [];
  #bufferedBytes = 0;
  #bytesRead = 0;
  #ended = false;
  #streamed = false;

  constructor(input: Readable, fileName: string) {
    this.#input = input;
    this.#fileName = fileName;
    this.#chunks = input[Symbol.asyncIterator]();
  }

  /** Bytes taken from the input so far. */
  bytesRead(): number {
    return this.#bytesRead;
  }

  /** Reads until `size` bytes are buffered or the input ends; the bytes stay for stream(). */
  async head(size: number): Promise<Head> {
    while (this.#bufferedBytes < size && !this.#ended) {
      const chunk = await this.#pull();
      if (chunk === undefined) break;
      this.#buffered.push(chunk);
      this.#bufferedBytes += chunk.length;
    }
    if (this.#buffered.length > 1) this.#buffered = [Buffer.concat(this.#buffered)];
    const all = this.#buffered[0] ?? Buffer.alloc(0);
    return { head: all.subarray(0, size), complete: this.#ended && all.length <= size };
  }

  /** The whole input, head included, as a byte stream that pulls only when read. Once only. */
  stream(): Readable {
    if (this.#streamed) throw new Error('ByteSource.stream() called twice');
    this.#streamed = true;
    return Readable.from(this.#generate(), { objectMode: false });
  }

  /** The whole input in one Buffer (spreadsheets; the caller has limited the file size). */
  async readAll(): Promise<Buffer> {
    if (this.#streamed) throw new Error('ByteSource read twice');
    this.#streamed = true;
    const chunks: Buffer[] = [];
    for await (const chunk of this.#generate()) chunks.push(chunk);
    return Buffer.concat(chunks);
  }

  /** Releases the input when reading stops early. */
  close(): void {
    if (!this.#input.destroyed) this.#input.destroy();
  }

  async *#generate(): AsyncGenerator<Buffer> {
    try {
      const buffered = this.#buffered;
      this.#buffered = [];
      this.#bufferedBytes = 0;
      yield* buffered;
      for (;;) {
        const chunk = await this.#pull();
        if (chunk === undefined) return;
        yield chunk;
      }
    } finally {
      // A reader that stops early (error, or the consumer broke out of the loop) frees the file.
      if (!this.#ended) this.close();
    }
  }

  async #pull(): Promise<Buffer | undefined> {
    let result: IteratorResult<unknown>;
    try {
      result = await this.#chunks.next();
    } catch (error) {
      this.#ended = true;
      if (error instanceof ImportError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new ImportError('IO', `could not read ${this.#fileName}: ${reason}`, {
        file: this.#fileName,
        hint: 'check that the file is still there and readable, then try again',
        cause: error,
      });
    }
    if (result.done) {
      this.#ended = true;
      return undefined;
    }
    const value = result.value;
    const chunk = Buffer.isBuffer(value)
      ? value
      : value instanceof Uint8Array
        ? Buffer.from(value.buffer, value.byteOffset, value.byteLength)
        : Buffer.from(String(value));
    this.#bytesRead += chunk.length;
    return chunk;
  }
}
