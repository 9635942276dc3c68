// A file read as UTF-8 may still hold a few bytes that are not UTF-8 (a field pasted from a
// Windows-1252 export, a copy cut short). Decoding would silently turn each into U+FFFD, so
// the bytes are checked on their way to the parser and the record holding them is reported.
// scanUtf8 says where each invalid sequence is (node's isUtf8 only says whether there is one),
// which also tells UTF-8 with a few bad bytes from a Windows-1252 file (detect-encoding.ts).

import { isUtf8 } from 'node:buffer';
import { Transform, type TransformCallback } from 'node:stream';

export interface InvalidUtf8 {
  /** Offset in the file of the first byte of the invalid sequence. */
  offset: number;
  byte: number;
}

const isContinuation = (b: number | undefined): boolean => b !== undefined && (b & 0xc0) === 0x80;

/**
 * Appends each invalid sequence of `bytes` (whose first byte is at file offset `base`) to
 * `found`, and returns how many valid multi-byte characters there are. Like a decoder, a bad
 * sequence is skipped as far as it looked valid, so one stray byte is one finding. A sequence
 * cut off by the end of `bytes` counts as invalid: callers that stream hold such a tail back.
 */
export function scanUtf8(bytes: Buffer, base: number, found: InvalidUtf8[]): number {
  let multibyte = 0;
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    // Expected length and the range the second byte must fall in (overlongs, surrogates and
    // code points above U+10FFFF are invalid).
    let length = 0;
    let low = 0x80;
    let high = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) length = 2;
    else if (b >= 0xe0 && b <= 0xef) {
      length = 3;
      if (b === 0xe0) low = 0xa0;
      if (b === 0xed) high = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      length = 4;
      if (b === 0xf0) low = 0x90;
      if (b === 0xf4) high = 0x8f;
    }
    let valid = 1;
    if (length > 0) {
      const second = bytes[i + 1];
      if (second !== undefined && second >= low && second <= high) {
        valid = 2;
        while (valid < length && isContinuation(bytes[i + valid])) valid++;
      }
    }
    if (length > 0 && valid === length) {
      multibyte++;
      i += length;
      continue;
    }
    found.push({ offset: base + i, byte: b });
    i += Math.max(1, valid);
  }
  return multibyte;
}

/**
 * The sample is cut at an arbitrary byte, possibly inside a multi-byte character; that
 * partial character must not make a UTF-8 file look invalid.
 */
export function withoutIncompleteTail(sample: Buffer): Buffer {
  for (let back = 1; back <= Math.min(4, sample.length); back++) {
    const byte = sample[sample.length - back]!;
    if ((byte & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return length > back ? sample.subarray(0, sample.length - back) : sample;
  }
  return sample;
}

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
