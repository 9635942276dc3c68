import { randomBytes } from 'node:crypto';
import type fs from 'node:fs';
import { createReadStream } from 'node:fs';
import * as fsp from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ImportError, isImportError } from '../errors.js';
import { makePrivateDir, PRIVATE_FILE_MODE } from '../streams/private-files.js';
import type { FileStore, PutOptions, StoredFile } from './file-store.js';

/** Uploaded files on local disk: key `uploads/x.csv` lives at `<root>/uploads/x.csv`. */
export class LocalFileStore implements FileStore {
  readonly kind = 'local' as const;
  readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  /** The absolute path of a key; USAGE for keys that could point outside the root. */
  pathFor(key: string): string {
    if (typeof key !== 'string' || key === '') throw badKey(key, 'it is empty');
    if (key.includes('\0')) throw badKey(key, 'it contains a NUL character');
    if (key.includes('\\')) throw badKey(key, 'it contains a backslash');
    if (key.startsWith('/') || path.isAbsolute(key)) throw badKey(key, 'it is an absolute path');
    for (const segment of key.split('/')) {
      if (segment === '..' || segment === '.' || segment === '') {
        throw badKey(key, `it contains a "${segment === '' ? '//' : segment}" segment`);
      }
    }
    const full = path.resolve(this.root, key);
    const rel = path.relative(this.root, full);
    // Belt and braces: the checks above should already make this impossible.
    if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) throw badKey(key, 'it resolves outside the store');
    return full;
  }

  async put(key: string, body: Readable, options: PutOptions = {}): Promise<{ size: number }> {
    // The body may fail before the pipeline below listens (while the folder is made): without a
    // listener that would crash the process. The error is not lost: pipeline() reports it.
    body.on('error', ignoreUntilPiped);
    const target = this.pathFor(key);
    const dir = path.dirname(target);
    // Same folder as the target so the final rename is atomic (never crosses filesystems).
    const temp = path.join(dir, `.${path.basename(target).slice(0, 100)}.${randomBytes(6).toString('hex')}.part`);
    let handle: FileHandle | undefined;
    try {
      await makePrivateDir(dir);
      handle = await fsp.open(temp, 'wx', PRIVATE_FILE_MODE);
      const out = handle;
      let size = 0;
      // Our own handle rather than a WriteStream: it must stay open for the fsync, and its
      // close must be awaited before the temp file can be removed on failure.
      await pipeline(body, async (source: AsyncIterable<Buffer | string>) => {
        for await (const chunk of source) {
          const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
          await writeAll(out, bytes);
          size += bytes.length;
          options.onProgress?.(size);
        }
      });
      await handle.sync();
      await handle.close();
      handle = undefined;
      await fsp.rename(temp, target);
      await syncDir(dir);
      return { size };
    } catch (error) {
      if (!body.destroyed) body.destroy();
      await handle?.close().catch(() => undefined);
      await fsp.rm(temp, { force: true }).catch(() => undefined);
      if (isImportError(error)) throw error;
      throw new ImportError('IO', `cannot store file ${key} under ${this.root}: ${reason(error)}`, {
        hint: 'check that the folder is writable and the disk is not full, then upload again',
        cause: error,
      });
    }
  }

  async open(key: string): Promise<Readable> {
    const target = this.pathFor(key);
    let handle: FileHandle;
    try {
      handle = await fsp.open(target, 'r');
    } catch (error) {
      if (isMissing(error)) throw notFound(key);
      throw ioError(`cannot open stored file ${key}`, error);
    }
    // Opening first turns a missing file into a clear NOT_FOUND now, not a stream error later.
    try {
      const info = await handle.stat();
      if (!info.isFile()) throw notFound(key);
    } catch (error) {
      await handle.close().catch(() => undefined);
      if (isImportError(error)) throw error;
      throw ioError(`cannot open stored file ${key}`, error);
    }
    return createReadStream(target, { fd: handle });
  }

  async stat(key: string): Promise<{ size: number } | null> {
    const target = this.pathFor(key);
    try {
      const info = await fsp.stat(target);
      return info.isFile() ? { size: info.size } : null;
    } catch (error) {
      if (isMissing(error)) return null;
      throw ioError(`cannot read stored file ${key}`, error);
    }
  }

  async delete(key: string): Promise<void> {
    const target = this.pathFor(key);
    try {
      await fsp.unlink(target);
    } catch (error) {
      if (isMissing(error)) return;
      throw ioError(`cannot delete stored file ${key}`, error);
    }
  }

  async *list(prefix: string): AsyncIterable<StoredFile> {
    // Walk only the folder the prefix names (`uploads/` → <root>/uploads), not the whole home.
    const slash = prefix.lastIndexOf('/');
    const dir = slash > 0 ? this.pathFor(prefix.slice(0, slash)) : this.root;
    let entries: fs.Dirent[];
    try {
      entries = await fsp.readdir(dir, { recursive: true, withFileTypes: true });
    } catch (error) {
      if (isMissing(error)) return;
      throw ioError(`cannot list stored files under ${prefix}`, error);
    }
    for (const entry of entries) {
      if (!entry.isFile()) continue;
      const key = path.relative(this.root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/');
      // Dot files are put()'s temp files: an upload in progress, not a stored file.
      if (!key.startsWith(prefix) || key.split('/').some((segment) => segment.startsWith('.'))) continue;
      try {
        const info = await fsp.stat(path.join(entry.parentPath, entry.name));
        yield { key, size: info.size, lastModified: info.mtime };
      } catch (error) {
        if (!isMissing(error)) throw ioError(`cannot read stored file ${key}`, error);
      }
    }
  }

  async close(): Promise<void> {
    // Nothing held open between calls.
  }
}

function ignoreUntilPiped(): void {}

/** FileHandle.write may write less than asked; loop until the whole chunk is down. */
async function writeAll(handle: FileHandle, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset);
    offset += bytesWritten;
  }
}

/** Persists the rename itself; best effort, some platforms cannot fsync a directory. */
async function syncDir(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await fsp.open(dir, 'r');
    await handle.sync();
  } catch {
    // ignored: the data itself is already synced
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

function badKey(key: unknown, why: string): ImportError {
  const shown = typeof key === 'string' ? JSON.stringify(key.slice(0, 200)) : String(key);
  return new ImportError('USAGE', `invalid storage key ${shown}: ${why}`, {
    hint: 'storage keys are relative paths like uploads/<name>, without ".." or backslashes',
  });
}

function notFound(key: string): ImportError {
  return new ImportError('NOT_FOUND', `stored file ${key} does not exist`, {
    hint: 'the file may have been cleaned up; upload it again',
  });
}

function ioError(what: string, error: unknown): ImportError {
  return new ImportError('IO', `${what}: ${reason(error)}`, {
    hint: 'check the permissions of the contact-import home folder',
    cause: error,
  });
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
