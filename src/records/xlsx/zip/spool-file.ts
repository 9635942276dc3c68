// An upload streamed from S3 (or stdin) can only be read front to back, but a ZIP is read
// from its end. The bytes are copied once to a temporary file, which is unlinked as soon as
// it is open (where the system allows), so nothing is left behind whatever happens next.

import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { ImportError } from '../../../errors.js';
import type { ByteSource } from '../../byte-source.js';
import type { RandomAccess } from './random-access.js';

const CHUNK = 256 * 1024;

export interface SpooledFile extends RandomAccess {
  /** Closes (and removes) the file; further reads fail. Safe to call twice. */
  close(): void;
}

export async function spoolToFile(source: ByteSource, fileName: string): Promise<SpooledFile> {
  const file = path.join(os.tmpdir(), `contact-import-${process.pid}-${randomBytes(6).toString('hex')}.spool`);
  let fd: number | undefined;
  let linked = true;
  const unlink = (): void => {
    if (!linked) return;
    try {
      fs.unlinkSync(file);
      linked = false;
    } catch {
      // Windows cannot remove an open file: close() tries again.
    }
  };
  try {
    await pipeline(source.stream(), fs.createWriteStream(file, { mode: 0o600 }));
    fd = fs.openSync(file, 'r');
  } catch (error) {
    unlink();
    if (error instanceof ImportError) throw error;
    throw new ImportError('IO', `could not copy ${fileName} to a temporary file: ${(error as Error).message}`, {
      file: fileName,
      hint: `check that ${os.tmpdir()} (TMPDIR) is writable and has room for the file`,
      cause: error,
    });
  }
  unlink();
  const handle = fd;
  const size = fs.fstatSync(handle).size;
  let open = true;
  return {
    size,
    read(position: number, length: number): Buffer {
      const wanted = Math.max(0, Math.min(length, size - position));
      const buffer = Buffer.alloc(wanted);
      let done = 0;
      while (done < wanted) {
        const n = fs.readSync(handle, buffer, done, wanted - done, position + done);
        if (n === 0) break;
        done += n;
      }
      return done === wanted ? buffer : buffer.subarray(0, done);
    },
    stream(position: number, length: number): Readable {
      // Positional reads on the shared descriptor (a file stream would close it when done),
      // synchronous: a local temporary file answers at once, and a thread-pool hop per chunk
      // would leave the parser idle.
      function* chunks(): Generator<Buffer> {
        for (let at = position, end = Math.min(size, position + length); at < end; ) {
          const buffer = Buffer.allocUnsafe(Math.min(CHUNK, end - at));
          const n = fs.readSync(handle, buffer, 0, buffer.length, at);
          if (n === 0) return;
          at += n;
          yield n === buffer.length ? buffer : buffer.subarray(0, n);
        }
      }
      return Readable.from(chunks(), { objectMode: false });
    },
    close(): void {
      if (!open) return;
      open = false;
      fs.closeSync(handle);
      unlink();
    },
  };
}
