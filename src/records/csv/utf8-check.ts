// A file read as UTF-8 may still hold a few bytes that are not UTF-8 (a field pasted from a
// Windows-1252 export, a copy cut short). Decoding would silently turn each into U+FFFD, so
// the bytes are checked on their way to the parser and the record holding them is reported.

import { isUtf8 } from 'node:buffer';
import { Transform, type TransformCallback } from 'node:stream';
import { withoutIncompleteTail } from '../detect/detect-encoding.js';
import { scanUtf8, type InvalidUtf8 } from './scan-utf8.js';

export type { InvalidUtf8 };

/** Passes bytes through unchanged, noting where invalid UTF-8 sequences are. */
export class Utf8Check extends Transform {
  #offset = 0;
  /** An incomplete sequence at the end of a chunk, held back until the next chunk decides it. */
  #tail: Buffer = Buffer.alloc(0);
  #found: InvalidUtf8[] = [];
  #taken = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    const data = this.#tail.length > 0 ? Buffer.concat([this.#tail, chunk]) : chunk;
    const complete = withoutIncompleteTail(data);
    this.#tail = Buffer.from(data.subarray(complete.length));
    // The native check is fast; the byte-by-byte scan runs only on chunks that fail it.
    if (!isUtf8(complete)) scanUtf8(complete, this.#offset, this.#found);
    this.#offset += complete.length;
    if (complete.length > 0) this.push(complete);
    done();
  }

  override _flush(done: TransformCallback): void {
    // A sequence cut off by the end of the file.
    if (this.#tail.length > 0) {
      scanUtf8(this.#tail, this.#offset, this.#found);
      this.push(this.#tail);
    }
    done();
  }

  /** Invalid sequences before `end` not yet taken, in file order. */
  takeBefore(end: number): InvalidUtf8[] {
    const start = this.#taken;
    while (this.#taken < this.#found.length && this.#found[this.#taken]!.offset < end) this.#taken++;
    const taken = this.#found.slice(start, this.#taken);
    if (this.#taken > 1024) {
      this.#found = this.#found.slice(this.#taken);
      this.#taken = 0;
    }
    return taken;
  }
}

/** Describes the invalid bytes of one record for its problems list. */
export function invalidUtf8Problem(found: readonly InvalidUtf8[]): string {
  const first = found[0]!;
  const byte = `0x${first.byte.toString(16).toUpperCase().padStart(2, '0')}`;
  const more = found.length > 1 ? ` and ${found.length - 1} more` : '';
  return `invalid UTF-8 at byte ${first.offset} (${byte})${more}: fix the file's encoding, or read it with --encoding`;
}
