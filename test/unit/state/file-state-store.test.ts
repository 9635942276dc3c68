import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ImportError } from '../../../src/errors.js';
import { FileStateStore } from '../../../src/state/file-state-store.js';
import { STORAGE_KEYS } from '../../../src/state/session-keys.js';

let base: string;
let dir: string;
let clock: number;
let store: FileStateStore;

beforeEach(() => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'ci-state-'));
  dir = path.join(base, 'state');
  clock = 1_700_000_000_000;
  store = new FileStateStore(dir, () => clock);
});

afterEach(async () => {
  await store.close();
  fs.rmSync(base, { recursive: true, force: true });
});

describe('FileStateStore', () => {
  it('creates its folder on first write and round-trips JSON values', async () => {
    expect(fs.existsSync(dir)).toBe(false);
    expect(await store.get('nothing')).toBeNull();
    const value = { fileId: 'f1', rows: [1, 2, 3], name: 'Zoë "quoted"\nnext', nested: { ok: true } };
    await store.set('analysis:f1', value, 60);
    expect(await store.get('analysis:f1')).toEqual(value);
    expect(store.kind).toBe('file');
  });

  it('writes one {expiresAt, value} file per key, named by encodeURIComponent', async () => {
    await store.set('mapping:f1', { a: 1 }, 10);
    const file = path.join(dir, `${encodeURIComponent('mapping:f1')}.json`);
    expect(store.pathFor('mapping:f1')).toBe(file);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ expiresAt: clock + 10_000, value: { a: 1 } });
    expect(fs.readdirSync(dir)).toEqual([path.basename(file)]);
  });

  it('keeps keys with ":", "/" and dots inside its folder and apart from each other', async () => {
    const keys = [
      STORAGE_KEYS.progress('abc'),
      'a/b',
      '../../escape',
      '.',
      '..',
      '.hidden',
      'x'.repeat(400),
      `${'x'.repeat(400)}y`,
      'Ünïcødé 🙂',
    ];
    for (const [i, key] of keys.entries()) await store.set(key, i, 60);
    for (const [i, key] of keys.entries()) expect(await store.get(key)).toBe(i);
    const names = fs.readdirSync(dir);
    expect(names).toHaveLength(keys.length);
    for (const name of names) {
      expect(name.startsWith('.')).toBe(false);
      expect(name.length).toBeLessThan(255);
    }
    expect(fs.readdirSync(base)).toEqual(['state']);
  });

  it('expires values after their TTL and removes the file', async () => {
    await store.set('k', 'v', 10);
    clock += 9_999;
    expect(await store.get('k')).toBe('v');
    clock += 1;
    expect(await store.get('k')).toBeNull();
    expect(fs.existsSync(store.pathFor('k'))).toBe(false);
  });

  it('overwrites a value and its expiry', async () => {
    await store.set('k', 1, 1);
    await store.set('k', 2, 100);
    clock += 50_000;
    expect(await store.get('k')).toBe(2);
  });

  it.each([['{"expiresAt": 1'], ['not json'], ['[]'], ['{"value": 1}'], ['{"expiresAt": "soon", "value": 1}'], ['']])(
    'treats a corrupt file (%j) as missing and removes it',
    async (content) => {
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(store.pathFor('bad'), content);
      expect(await store.get('bad')).toBeNull();
      expect(fs.existsSync(store.pathFor('bad'))).toBe(false);
    },
  );

  it('stores null and falsy values faithfully', async () => {
    await store.set('null', null, 60);
    await store.set('zero', 0, 60);
    await store.set('empty', '', 60);
    expect(await store.get('zero')).toBe(0);
    expect(await store.get('empty')).toBe('');
    expect(await store.get('null')).toBeNull();
  });

  it('deletes several keys, missing ones included', async () => {
    await store.set('a', 1, 60);
    await store.set('b', 2, 60);
    await store.delete('a', 'b', 'never-set');
    expect(await store.get('a')).toBeNull();
    expect(await store.get('b')).toBeNull();
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('never exposes a torn file to concurrent writers and readers', async () => {
    const big = (n: number) => ({ n, payload: String(n).repeat(50_000) });
    const other = new FileStateStore(dir, () => clock);
    const writes = Array.from({ length: 40 }, (_, n) => (n % 2 ? store : other).set('shared', big(n), 60));
    const reads = Array.from({ length: 40 }, () => store.get<{ n: number; payload: string }>('shared'));
    const [, seen] = await Promise.all([Promise.all(writes), Promise.all(reads)]);
    for (const value of seen) {
      if (value === null) continue; // read before the first write landed
      expect(value.payload).toBe(String(value.n).repeat(50_000));
    }
    const final = await store.get<{ n: number; payload: string }>('shared');
    expect(final!.payload).toBe(String(final!.n).repeat(50_000));
    expect(fs.readdirSync(dir)).toEqual([path.basename(store.pathFor('shared'))]);
  });

  it('rejects a bad TTL and values JSON cannot hold', async () => {
    await expect(store.set('k', 1, Number.NaN)).rejects.toMatchObject({ code: 'USAGE' });
    await expect(store.set('k', 1n, 60)).rejects.toBeInstanceOf(ImportError);
    expect(fs.existsSync(dir)).toBe(false);
  });

  it('reports an unwritable folder as IO with a hint', async () => {
    fs.writeFileSync(path.join(base, 'blocker'), '');
    const blocked = new FileStateStore(path.join(base, 'blocker', 'state'));
    const error = await blocked.set('k', 1, 60).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'IO' });
    expect((error as ImportError).hint).toBeTruthy();
  });
});
