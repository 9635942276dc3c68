import { createHash, randomBytes } from 'node:crypto';
import * as fsp from 'node:fs/promises';
import path from 'node:path';
import { ImportError } from '../errors.js';
import { makePrivateDir, PRIVATE_FILE_MODE } from '../streams/private-files.js';
import { ttlMilliseconds } from './check-ttl.js';
import { acquireFileLock, fileLockExpiresAt } from './file-lock.js';
import { sessionFileId, sessionKeys, sessionSiblings } from './session-keys.js';
import type { StateLock, StateStore } from './state-store.js';

/** Longest encoded key used verbatim as a file name; longer ones are shortened with a hash. */
const MAX_NAME_LENGTH = 180;

interface Envelope {
  expiresAt: number;
  value: unknown;
}

/**
 * State as one JSON file per key, `{ "expiresAt": <ms>, "value": … }`. Every write goes to a
 * private temp file that is renamed over the old one, so readers (and other processes) only
 * ever see a whole old file or a whole new one.
 *
 * A session's keys are kept alive together without rewriting them (the analysis can be large
 * and progress is written twice a second): a write to one of them also writes a small
 * `session-ttl:<fileId>` record, and a session key past its own expiry still reads as long as
 * that record has not expired. Locks are `<name>.lock` files (see file-lock.ts).
 */
export class FileStateStore implements StateStore {
  readonly kind = 'file' as const;
  readonly dir: string;
  private readonly now: () => number;

  constructor(dir: string, now: () => number = Date.now) {
    this.dir = path.resolve(dir);
    this.now = now;
  }

  /** The file that holds a key. */
  pathFor(key: string): string {
    return path.join(this.dir, `${fileNameFor(key)}.json`);
  }

  async get<T>(key: string): Promise<T | null> {
    const read = await this.read(key);
    if (!read) return null;
    if (read.envelope && read.envelope.expiresAt > this.now()) return read.envelope.value as T;
    const fileId = read.envelope ? sessionFileId(key) : null;
    if (fileId !== null && (await this.get<true>(touchKey(fileId))) !== null) return read.envelope!.value as T;
    // Expired or corrupt: treat as missing and clean up, unless a writer has already
    // replaced the file with a fresh one since we read it (a rename gives a new inode).
    await removeIfSame(read.file, read.ino);
    return null;
  }

  private async read(key: string): Promise<{ file: string; ino: number; envelope: Envelope | null } | null> {
    const file = this.pathFor(key);
    let handle: fsp.FileHandle;
    try {
      handle = await fsp.open(file, 'r');
    } catch (error) {
      if (isMissing(error)) return null;
      throw ioError(`cannot read state ${key} from ${file}`, error);
    }
    let text: string;
    let ino: number;
    try {
      ino = (await handle.stat()).ino;
      text = await handle.readFile('utf8');
    } catch (error) {
      throw ioError(`cannot read state ${key} from ${file}`, error);
    } finally {
      await handle.close().catch(() => undefined);
    }
    return { file, ino, envelope: parseEnvelope(text) };
  }

  async set<T>(key: string, value: T, ttlSeconds: number): Promise<void> {
    const ttlMs = ttlMilliseconds(ttlSeconds);
    await this.write(key, value, ttlMs);
    const fileId = sessionFileId(key);
    // Only a session with more than one key needs keeping together; a lone key has its own expiry.
    if (fileId !== null && (await this.anyExists(sessionSiblings(key)))) await this.write(touchKey(fileId), true, ttlMs);
  }

  private async anyExists(keys: string[]): Promise<boolean> {
    for (const key of keys) {
      if (await fsp.access(this.pathFor(key)).then(() => true, () => false)) return true;
    }
    return false;
  }

  private async write(key: string, value: unknown, ttlMs: number): Promise<void> {
    let text: string | undefined;
    try {
      text = JSON.stringify({ expiresAt: this.now() + ttlMs, value });
    } catch (error) {
      throw new ImportError('INTERNAL', `cannot serialize state ${key}: ${reason(error)}`, { cause: error });
    }
    const file = this.pathFor(key);
    const temp = path.join(this.dir, `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
    let handle: fsp.FileHandle | undefined;
    try {
      await makePrivateDir(this.dir);
      handle = await fsp.open(temp, 'wx', PRIVATE_FILE_MODE);
      await handle.writeFile(text, 'utf8');
      await handle.sync();
      await handle.close();
      handle = undefined;
      await fsp.rename(temp, file);
    } catch (error) {
      await handle?.close().catch(() => undefined);
      await fsp.rm(temp, { force: true }).catch(() => undefined);
      throw ioError(`cannot write state ${key} to ${this.dir}`, error);
    }
  }

  async delete(...keys: string[]): Promise<void> {
    for (const key of keys) await this.unlink(key);
    // A session cleared as a whole takes its keep-alive record with it.
    const fileIds = new Set(keys.map(sessionFileId).filter((id): id is string => id !== null));
    for (const fileId of fileIds) {
      if (!(await this.anyExists(sessionKeys(fileId)))) await this.unlink(touchKey(fileId));
    }
  }

  private async unlink(key: string): Promise<void> {
    const file = this.pathFor(key);
    try {
      await fsp.unlink(file);
    } catch (error) {
      if (!isMissing(error)) throw ioError(`cannot delete state ${key} from ${file}`, error);
    }
  }

  async acquireLock(name: string, ttlSeconds: number): Promise<StateLock | null> {
    const ttlMs = ttlMilliseconds(ttlSeconds);
    try {
      return await acquireFileLock(this.lockPathFor(name), name, ttlMs, this.now);
    } catch (error) {
      throw ioError(`cannot take lock ${name} in ${this.dir}`, error);
    }
  }

  async lockExpiresAt(name: string): Promise<number | null> {
    try {
      return await fileLockExpiresAt(this.lockPathFor(name), this.now);
    } catch (error) {
      throw ioError(`cannot read lock ${name} in ${this.dir}`, error);
    }
  }

  /** The file that holds a lock: encoded names have no '.', so it never meets a key's file. */
  lockPathFor(name: string): string {
    return path.join(this.dir, `${fileNameFor(name)}.lock`);
  }

  async close(): Promise<void> {
    // Nothing held open between calls.
  }
}

function touchKey(fileId: string): string {
  return `session-ttl:${fileId}`;
}

/**
 * encodeURIComponent leaves `.`, `~` and a few others alone; `.` is encoded too so no key can
 * become a hidden file or look like our temp files, and `~` so it can mark hashed names.
 */
function fileNameFor(key: string): string {
  const encoded = encodeURIComponent(key).replace(/[.~!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  if (encoded.length <= MAX_NAME_LENGTH) return encoded;
  // File names are limited to 255 bytes; keep a readable prefix plus a collision-proof hash.
  const hash = createHash('sha256').update(key).digest('hex');
  return `${encoded.slice(0, 100).replace(/%[0-9A-F]?$/, '')}~${hash}`;
}

function parseEnvelope(text: string): Envelope | null {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
    const { expiresAt } = parsed as { expiresAt?: unknown };
    if (typeof expiresAt !== 'number' || Number.isNaN(expiresAt) || !('value' in parsed)) return null;
    return parsed as Envelope;
  } catch {
    return null;
  }
}

async function removeIfSame(file: string, ino: number): Promise<void> {
  try {
    const current = await fsp.lstat(file);
    if (current.ino === ino) await fsp.unlink(file);
  } catch {
    // Already gone, or not ours to remove: either way the key reads as missing.
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function ioError(what: string, error: unknown): ImportError {
  return new ImportError('IO', `${what}: ${reason(error)}`, {
    hint: 'check that the state folder is writable (or pass another home)',
    options: ['home'],
    cause: error,
  });
}
