// A workbook is a ZIP whose table of contents is at its end, so its parts are read by
// position. RandomAccess is that view of the bytes, over a Buffer (small inputs, tests) or
// over a file spooled to disk (spool-file.ts), so a large workbook need not sit in memory.

import { Readable } from 'node:stream';

export interface RandomAccess {
  readonly size: number;
  /** `length` bytes from `position` (fewer at the end of the data). */
  read(position: number, length: number): Buffer;
  /** The same bytes as a stream, for parts too big to read at once. */
  stream(position: number, length: number): Readable;
}

const CHUNK = 64 * 1024;

export function bufferAccess(bytes: Buffer): RandomAccess {
  return {
    size: bytes.length,
    read: (position, length) => bytes.subarray(position, position + length),
    stream: (position, length) => {
      const data = bytes.subarray(position, position + length);
      const chunks: Buffer[] = [];
      for (let at = 0; at < data.length; at += CHUNK) chunks.push(data.subarray(at, at + CHUNK));
      return Readable.from(chunks, { objectMode: false });
    },
  };
}
