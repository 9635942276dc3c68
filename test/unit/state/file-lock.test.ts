import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileStateStore } from '../../../src/state/file-state-store.js';

// What only the file store's locks have to handle: holders that crashed on this host, files
// left by other hosts, damaged lock files.

let dir: string;
let store: FileStateStore;
const NAME = 'lock:import:file_1';

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ci-lock-'));
  store = new FileStateStore(dir);
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The pid of a process that has already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

function writeLock(record: object): void {
  fs.writeFileSync(store.lockPathFor(NAME), JSON.stringify(record));
}

describe('file locks', () => {
  it('writes the holder, its host and the expiry, and removes the file on release', async () => {
    const lock = await store.acquireLock(NAME, 60);
    const record = JSON.parse(fs.readFileSync(store.lockPathFor(NAME), 'utf8'));
    expect(record).toMatchObject({ pid: process.pid, host: os.hostname() });
    expect(record.expiresAt).toBeGreaterThan(Date.now() + 55_000);
    await lock!.release();
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('takes over a lock whose holder on this host has died, long before it expires', async () => {
    writeLock({ token: 'crashed', pid: deadPid(), host: os.hostname(), expiresAt: Date.now() + 3_600_000 });
    expect(await store.lockExpiresAt(NAME)).toBeNull();
    const lock = await store.acquireLock(NAME, 60);
    expect(lock).not.toBeNull();
    expect(JSON.parse(fs.readFileSync(store.lockPathFor(NAME), 'utf8')).pid).toBe(process.pid);
    await lock!.release();
  });

  it('trusts only the expiry of a lock from another host (its pid means nothing here)', async () => {
    writeLock({ token: 'remote', pid: deadPid(), host: `not-${os.hostname()}`, expiresAt: Date.now() + 60_000 });
    expect(await store.acquireLock(NAME, 60)).toBeNull();
    writeLock({ token: 'remote', pid: deadPid(), host: `not-${os.hostname()}`, expiresAt: Date.now() - 1 });
    expect(await store.acquireLock(NAME, 60)).not.toBeNull();
  });

  it('replaces a damaged lock file', async () => {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(store.lockPathFor(NAME), '{"tok');
    expect(await store.acquireLock(NAME, 60)).not.toBeNull();
  });

  it('leaves a stale lock to a process already stealing it, and clears a guard a crash left behind', async () => {
    writeLock({ token: 'old', pid: process.pid, host: os.hostname(), expiresAt: Date.now() - 1 });
    const guard = `${store.lockPathFor(NAME)}.steal`;
    fs.writeFileSync(guard, '');
    expect(await store.acquireLock(NAME, 60)).toBeNull();
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(guard, old, old);
    expect(await store.acquireLock(NAME, 60)).toBeNull(); // removes the abandoned guard
    expect(fs.existsSync(guard)).toBe(false);
    expect(await store.acquireLock(NAME, 60)).not.toBeNull();
  });

  it('keeps lock files apart from state files of the same name', async () => {
    await store.set(NAME, 'state', 60);
    const lock = await store.acquireLock(NAME, 60);
    expect(await store.get(NAME)).toBe('state');
    await lock!.release();
    expect(await store.get(NAME)).toBe('state');
  });
});
