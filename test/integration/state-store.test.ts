import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileStateStore } from '../../src/state/file-state-store.js';
import { RedisStateStore } from '../../src/state/redis-state-store.js';
import type { StateStore } from '../../src/state/state-store.js';
import { STORAGE_KEYS } from '../../src/state/session-keys.js';
import { deleteKeys, rawClient, REDIS_URL, uniquePrefix } from '../helpers/redis.js';

// One behavioural contract, run against both state stores: whatever works with local files must
// work the same with Redis. TTLs are real (1-2 s), so expiry is what the server or clock does.

interface Harness {
  /** A store over the same state as every other store this harness opens (two processes, say). */
  open(): StateStore;
  cleanup(): Promise<void>;
}

const harnesses: Array<[string, () => Harness]> = [
  [
    'file',
    () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ci-state-it-'));
      return {
        open: () => new FileStateStore(path.join(dir, 'state')),
        cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }),
      };
    },
  ],
  [
    'redis',
    () => {
      const prefix = uniquePrefix('state');
      return {
        open: () => new RedisStateStore(REDIS_URL, { prefix }),
        cleanup: async () => {
          const client = rawClient();
          await deleteKeys(client, prefix);
          await client.quit();
        },
      };
    },
  ],
];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const fileId = () => `file_${randomUUID()}`;

describe.each(harnesses)('%s state store', (_kind, makeHarness) => {
  let harness: Harness;
  let store: StateStore;
  let other: StateStore;

  beforeAll(() => {
    harness = makeHarness();
    store = harness.open();
    other = harness.open();
  });
  afterAll(async () => {
    await store.close();
    await other.close();
    await harness.cleanup();
  });

  it('gets, sets, overwrites and deletes, and another instance sees the same state', async () => {
    const key = `k:${randomUUID()}`;
    expect(await store.get(key)).toBeNull();
    await store.set(key, { n: 1 }, 60);
    expect(await other.get(key)).toEqual({ n: 1 });
    await other.set(key, { n: 2 }, 60);
    expect(await store.get(key)).toEqual({ n: 2 });
    await store.set(`${key}:b`, 'b', 60);
    await store.delete(key, `${key}:b`, `${key}:never-set`);
    expect(await other.get(key)).toBeNull();
    expect(await other.get(`${key}:b`)).toBeNull();
  });

  it('round-trips unicode, __proto__ keys and falsy values exactly', async () => {
    const value = JSON.parse(
      '{"__proto__": {"polluted": true}, "constructor": {"prototype": 1}, "name": "Zoë 伟 🙂 \\"q\\"\\n\\u0000", "rows": [[null, 0, "", false]]}',
    );
    await store.set('odd', value, 60);
    const back = await other.get<Record<string, unknown>>('odd');
    expect(back).toEqual(value);
    expect(Object.hasOwn(back!, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    for (const [key, falsy] of [['zero', 0], ['empty', ''], ['false', false], ['null', null]] as const) {
      await store.set(key, falsy, 60);
      expect(await other.get(key)).toBe(falsy);
    }
  });

  it('forgets a value after its TTL', async () => {
    await store.set('short', 'v', 1);
    expect(await store.get('short')).toBe('v');
    await sleep(1200);
    expect(await store.get('short')).toBeNull();
    expect(await other.get('short')).toBeNull();
  });

  it('restarts the TTL on every write', async () => {
    await store.set('renewed', 1, 1);
    await sleep(600);
    await store.set('renewed', 2, 2);
    await sleep(700); // past the first TTL
    expect(await store.get('renewed')).toBe(2);
  });

  it("keeps a session's other keys alive when one of them is written, and never shortens them", async () => {
    const id = fileId();
    await store.set(STORAGE_KEYS.upload(id), { fileId: id }, 1);
    await store.set(STORAGE_KEYS.mapping(id), { mapping: {} }, 1);
    await store.set('unrelated', 1, 1);
    await sleep(600);
    await store.set(STORAGE_KEYS.progress(id), { status: 'analyzing' }, 2);
    await sleep(700); // past the first keys' own TTL
    expect(await other.get(STORAGE_KEYS.upload(id))).toEqual({ fileId: id });
    expect(await other.get(STORAGE_KEYS.mapping(id))).toEqual({ mapping: {} });
    expect(await other.get('unrelated')).toBeNull();

    const id2 = fileId();
    await store.set(STORAGE_KEYS.upload(id2), 'long', 30);
    await store.set(STORAGE_KEYS.mapping(id2), 'short', 1);
    await sleep(1200);
    expect(await store.get(STORAGE_KEYS.upload(id2))).toBe('long');
    expect(await store.get(STORAGE_KEYS.mapping(id2))).toBeNull();
  });

  it('clears a whole session', async () => {
    const id = fileId();
    const keys = Object.values(STORAGE_KEYS).map((keyOf) => keyOf(id));
    for (const key of keys) await store.set(key, key, 60);
    await store.delete(...keys);
    for (const key of keys) expect(await other.get(key)).toBeNull();
  });

  describe('locks', () => {
    it('lets one holder at a time have a lock, until it releases it', async () => {
      const name = `lock:import:${fileId()}`;
      expect(await store.lockExpiresAt(name)).toBeNull();
      const first = await store.acquireLock(name, 30);
      expect(first).not.toBeNull();
      expect(await other.acquireLock(name, 30)).toBeNull();
      expect(await store.acquireLock(name, 30)).toBeNull(); // not re-entrant either
      const expiresAt = await other.lockExpiresAt(name);
      expect(expiresAt).toBeGreaterThan(Date.now() + 25_000);
      expect(expiresAt).toBeLessThanOrEqual(Date.now() + 30_000);
      await first!.release();
      expect(await other.lockExpiresAt(name)).toBeNull();
      const second = await other.acquireLock(name, 30);
      expect(second).not.toBeNull();
      await second!.release();
    });

    it('gives exactly one of many racing callers the lock', async () => {
      const name = `lock:import:${fileId()}`;
      const stores = [store, other, harness.open(), harness.open()];
      const results = await Promise.all(Array.from({ length: 12 }, (_, i) => stores[i % stores.length].acquireLock(name, 30)));
      expect(results.filter(Boolean)).toHaveLength(1);
      await results.find(Boolean)!.release();
      await Promise.all(stores.slice(2).map((s) => s.close()));
    });

    it('lets an expired lock be taken, and the old holder cannot release the new one', async () => {
      const name = `lock:import:${fileId()}`;
      const stale = await store.acquireLock(name, 1);
      expect(stale).not.toBeNull();
      await sleep(1200);
      const fresh = await other.acquireLock(name, 30);
      expect(fresh).not.toBeNull();
      await stale!.release();
      expect(await store.acquireLock(name, 30)).toBeNull();
      expect(await stale!.refresh()).toBe(false);
      expect(await store.acquireLock(name, 30)).toBeNull();
      await fresh!.release();
    });

    it('keeps a refreshed lock past its first TTL', async () => {
      const name = `lock:import:${fileId()}`;
      const lock = await store.acquireLock(name, 1);
      await sleep(600);
      expect(await lock!.refresh()).toBe(true);
      await sleep(700);
      expect(await other.acquireLock(name, 30)).toBeNull();
      await lock!.release();
      expect(await other.lockExpiresAt(name)).toBeNull();
    });
  });
});

describe('redis state store specifics', () => {
  const prefix = uniquePrefix('state-redis');
  const store = new RedisStateStore(REDIS_URL, { prefix });
  const client = rawClient();
  afterAll(async () => {
    await store.close();
    await deleteKeys(client, prefix);
    await client.quit();
  });

  it('keeps every key under the prefix, as JSON, with the TTL as PTTL', async () => {
    const id = fileId();
    await store.set(STORAGE_KEYS.analysis(id), { totalRows: 3 }, 120);
    const lock = await store.acquireLock(`lock:import:${id}`, 60);
    expect((await client.keys(`${prefix}*`)).sort()).toEqual([`${prefix}analysis:${id}`, `${prefix}lock:import:${id}`]);
    expect(JSON.parse((await client.get(`${prefix}analysis:${id}`))!)).toEqual({ totalRows: 3 });
    const pttl = await client.pttl(`${prefix}analysis:${id}`);
    expect(pttl).toBeGreaterThan(115_000);
    expect(pttl).toBeLessThanOrEqual(120_000);
    expect(await client.pttl(`${prefix}lock:import:${id}`)).toBeGreaterThan(55_000);
    await lock!.release();
    expect(await client.exists(`${prefix}lock:import:${id}`)).toBe(0);
  });

  it('extends the TTL of the session siblings that exist, without creating the others', async () => {
    const id = fileId();
    await store.set(STORAGE_KEYS.upload(id), 'u', 5);
    await store.set(STORAGE_KEYS.progress(id), 'p', 100);
    expect(await client.pttl(`${prefix}upload:${id}`)).toBeGreaterThan(95_000);
    expect(await client.exists(`${prefix}analysis:${id}`, `${prefix}mapping:${id}`)).toBe(0);
  });

  it('stores a wide analysis (1000 sample rows of 200 columns) in well under a second', async () => {
    const row = Array.from({ length: 200 }, (_, i) => `value ${i} — ünïcødé`);
    const analysis = { sampleRows: Array.from({ length: 1000 }, (_, r) => ({ _rowIndex: r + 1, values: row })) };
    const started = Date.now();
    await store.set('wide', analysis, 60);
    const back = await store.get<typeof analysis>('wide');
    expect(Date.now() - started).toBeLessThan(3000);
    expect(back).toEqual(analysis);
  });

  it('reads a value it cannot parse as missing', async () => {
    await client.set(`${prefix}garbage`, '{not json', 'EX', 60);
    expect(await store.get('garbage')).toBeNull();
  });
});

// After kill -9 the next import must not wait out the lock's TTL: a holder on this host whose
// pid is gone is taken over at once (as the file store does), atomically; a live holder, or
// one on another host, is still respected.
describe('redis lock takeover', () => {
  const prefix = uniquePrefix('state-redis-takeover');
  const stores = [0, 1, 2].map(() => new RedisStateStore(REDIS_URL, { prefix }));
  const [store] = stores;
  const client = rawClient();
  afterAll(async () => {
    for (const s of stores) await s.close();
    await deleteKeys(client, prefix);
    await client.quit();
  });

  /** The pid of a process that has already exited. */
  function deadPid(): number {
    const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    return Number(child.stdout);
  }

  const hold = (name: string, token: string, ttlMs = 60_000) => client.set(`${prefix}${name}`, token, 'PX', ttlMs);

  it('holds host:pid:random, so another process on this host can tell whether the holder lives', async () => {
    const name = `lock:import:${fileId()}`;
    const lock = await store.acquireLock(name, 60);
    const token = await client.get(`${prefix}${name}`);
    expect(token!.startsWith(`${os.hostname()}:${process.pid}:`)).toBe(true);
    expect(token!.split(':').pop()).toMatch(/^[0-9a-f]{32}$/);
    await lock!.release();
  });

  it('takes over at once the lock of a holder on this host that was killed', async () => {
    const name = `lock:import:${fileId()}`;
    // A real holder: a process that is running, then killed with SIGKILL (no release).
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    await new Promise((resolve) => child.once('spawn', resolve));
    const dead = `${os.hostname()}:${child.pid}:${'a'.repeat(32)}`;
    await hold(name, dead);
    expect(await store.acquireLock(name, 60)).toBeNull(); // alive: respected
    expect(await store.lockExpiresAt(name)).not.toBeNull();

    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    expect(await store.lockExpiresAt(name)).toBeNull(); // a dead holder holds nothing
    const lock = await store.acquireLock(name, 60);
    expect(lock).not.toBeNull();
    const now = await client.get(`${prefix}${name}`);
    expect(now).not.toBe(dead);
    expect(now!.startsWith(`${os.hostname()}:${process.pid}:`)).toBe(true);
    expect(await client.pttl(`${prefix}${name}`)).toBeGreaterThan(55_000);
    // The new holder is alive (this process): nobody else takes it over.
    expect(await stores[1].acquireLock(name, 60)).toBeNull();
    expect(await lock!.refresh()).toBe(true);
    await lock!.release();
    expect(await client.exists(`${prefix}${name}`)).toBe(0);
  });

  it('gives a dead holder\'s lock to exactly one of many racing callers', async () => {
    const name = `lock:import:${fileId()}`;
    await hold(name, `${os.hostname()}:${deadPid()}:${'b'.repeat(32)}`);
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => stores[i % stores.length].acquireLock(name, 30)));
    const winners = results.filter((lock) => lock !== null);
    expect(winners).toHaveLength(1);
    await winners[0]!.release();
  });

  it('leaves alone a lock held by another host, or in the old random-only form, until it expires', async () => {
    const remote = `lock:import:${fileId()}`;
    await hold(remote, `not-${os.hostname()}:${deadPid()}:${'c'.repeat(32)}`, 1000);
    expect(await store.acquireLock(remote, 60)).toBeNull();
    expect(await store.lockExpiresAt(remote)).not.toBeNull();

    const legacy = `lock:import:${fileId()}`;
    await hold(legacy, 'd'.repeat(32), 1000);
    expect(await store.acquireLock(legacy, 60)).toBeNull();

    // Their TTL still frees them.
    for (const name of [remote, legacy]) {
      while ((await client.exists(`${prefix}${name}`)) === 1) await sleep(50);
      const lock = await store.acquireLock(name, 60);
      expect(lock).not.toBeNull();
      await lock!.release();
    }
  });
});
