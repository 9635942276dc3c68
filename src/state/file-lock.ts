import { randomBytes } from 'node:crypto';
import * as fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { holderIsGone } from '../process-alive.js';
import { makePrivateDir, PRIVATE_FILE_MODE } from '../streams/private-files.js';
import type { StateLock } from './state-store.js';

// A lock between processes sharing a state folder, as a file holding who has it and until when.
//
// - Taking it is atomic: the record is written to a private temp file that is then hard-linked
//   to the lock's name, which fails if the name exists. Readers never see a half-written lock.
// - A crashed holder cannot leave it stuck: a lock whose expiry has passed, or whose holder (on
//   this host) is no longer running, is stale. Removing a stale lock is guarded by a second
//   O_EXCL file so two processes that both found it stale cannot both remove it and then one
//   of them remove the other's fresh lock.
// - Node has no flock; what is left is a window of microseconds between reading a lock and
//   unlinking it, in which a holder that is already past its expiry could lose a lock it is
//   releasing to a stealer. Holders refresh long before expiry, so that needs a stalled process.

interface LockRecord {
  token: string;
  pid: number;
  host: string;
  expiresAt: number;
}

/** A steal guard older than this was left by a process that died in the middle of stealing. */
const STALE_GUARD_MS = 10_000;
const ATTEMPTS = 3;

export async function acquireFileLock(file: string, name: string, ttlMs: number, now: () => number): Promise<StateLock | null> {
  const token = randomBytes(16).toString('hex');
  const record = (): LockRecord => ({ token, pid: process.pid, host: os.hostname(), expiresAt: now() + ttlMs });
  await makePrivateDir(path.dirname(file));
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    if (await createExclusive(file, record())) return new FileLock(file, name, token, record);
    const held = await readLock(file);
    if (held === 'missing') continue; // released meanwhile: try again
    if (held !== 'corrupt' && !isStale(held, now())) return null;
    if (!(await removeStale(file, held))) return null;
  }
  return null;
}

/** When the current holder's lock expires, or null when it is free or stale. */
export async function fileLockExpiresAt(file: string, now: () => number): Promise<number | null> {
  const held = await readLock(file);
  if (held === 'missing' || held === 'corrupt' || isStale(held, now())) return null;
  return held.expiresAt;
}

class FileLock implements StateLock {
  constructor(
    private readonly file: string,
    readonly name: string,
    private readonly token: string,
    private readonly record: () => LockRecord,
  ) {}

  async refresh(): Promise<boolean> {
    const held = await readLock(this.file);
    if (held === 'missing') return createExclusive(this.file, this.record());
    if (held === 'corrupt' || held.token !== this.token) return false;
    await writeAtomically(this.file, this.record());
    return true;
  }

  async release(): Promise<void> {
    const held = await readLock(this.file);
    if (held === 'missing' || held === 'corrupt' || held.token !== this.token) return;
    await fsp.unlink(this.file).catch(ignoreMissing);
  }
}

function isStale(held: LockRecord, now: number): boolean {
  if (held.expiresAt <= now) return true;
  // A pid means something only on the host that wrote it (a shared folder may span machines).
  return holderIsGone(held.host, held.pid);
}

async function removeStale(file: string, judged: LockRecord | 'corrupt'): Promise<boolean> {
  const guard = `${file}.steal`;
  let handle: fsp.FileHandle;
  try {
    handle = await fsp.open(guard, 'wx', PRIVATE_FILE_MODE);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // Someone else is stealing it (they win), unless their guard was left by a crash.
    const stat = await fsp.stat(guard).catch(() => null);
    if (stat && Date.now() - stat.mtimeMs > STALE_GUARD_MS) await fsp.unlink(guard).catch(ignoreMissing);
    return false;
  }
  try {
    await handle.close();
    // Under the guard nobody else removes it; check it is still the lock we judged stale.
    const current = await readLock(file);
    const same = current === 'corrupt' ? judged === 'corrupt' : current !== 'missing' && judged !== 'corrupt' && current.token === judged.token;
    if (same) await fsp.unlink(file).catch(ignoreMissing);
    return true;
  } finally {
    await fsp.unlink(guard).catch(ignoreMissing);
  }
}

async function createExclusive(file: string, record: LockRecord): Promise<boolean> {
  const temp = tempName(file);
  await fsp.writeFile(temp, JSON.stringify(record), { flag: 'wx', mode: PRIVATE_FILE_MODE });
  try {
    await fsp.link(temp, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await fsp.unlink(temp).catch(ignoreMissing);
  }
}

async function writeAtomically(file: string, record: LockRecord): Promise<void> {
  const temp = tempName(file);
  try {
    await fsp.writeFile(temp, JSON.stringify(record), { flag: 'wx', mode: PRIVATE_FILE_MODE });
    await fsp.rename(temp, file);
  } catch (error) {
    await fsp.unlink(temp).catch(ignoreMissing);
    throw error;
  }
}

async function readLock(file: string): Promise<LockRecord | 'missing' | 'corrupt'> {
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw error;
  }
  try {
    const parsed = JSON.parse(text) as Partial<LockRecord> | null;
    const valid =
      typeof parsed?.token === 'string' &&
      typeof parsed.pid === 'number' &&
      typeof parsed.host === 'string' &&
      typeof parsed.expiresAt === 'number';
    return valid ? (parsed as LockRecord) : 'corrupt';
  } catch {
    return 'corrupt';
  }
}

function tempName(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
}

function ignoreMissing(error: unknown): void {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
}
