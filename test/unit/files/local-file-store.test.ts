import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ImportError } from '../../../src/errors.js';
import { LocalFileStore } from '../../../src/files/local-file-store.js';
import { rejectionOf } from '../../helpers/import-error.js';

let root: string;
let store: LocalFileStore;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'ci-files-'));
  store = new LocalFileStore(root);
});

afterEach(async () => {
  await store.close();
  fs.rmSync(root, { recursive: true, force: true });
});

/** Every file under a folder, relative, including hidden temp files. */
function listFiles(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)));
}


describe('LocalFileStore', () => {
  const key = 'uploads/1732400000000-k3j9x0-contacts.csv';

  it('puts, stats, opens and deletes a file', async () => {
    const body = 'email,first name\nann@example.com,Ann\n';
    const { size } = await store.put(key, Readable.from([Buffer.from(body)]));
    expect(size).toBe(Buffer.byteLength(body));
    expect(fs.readFileSync(path.join(root, key), 'utf8')).toBe(body);
    expect(await store.stat(key)).toEqual({ size });
    expect(await text(await store.open(key))).toBe(body);
    expect(listFiles(root)).toEqual([key]);

    await store.delete(key);
    expect(await store.stat(key)).toBeNull();
    await store.delete(key); // missing is fine
  });

  it('stores bytes exactly, across many chunks', async () => {
    const chunks = Array.from({ length: 200 }, (_, i) => Buffer.alloc(10_000, i));
    const { size } = await store.put(key, Readable.from(chunks));
    expect(size).toBe(2_000_000);
    expect(fs.readFileSync(path.join(root, key)).equals(Buffer.concat(chunks))).toBe(true);
  });

  it('replaces an existing file atomically', async () => {
    await store.put(key, Readable.from(['old']));
    await store.put(key, Readable.from(['new content']));
    expect(fs.readFileSync(path.join(root, key), 'utf8')).toBe('new content');
    expect(listFiles(root)).toEqual([key]);
  });

  it('leaves nothing behind when the input stream errors', async () => {
    const body = new Readable({ read() {} });
    const done = store.put(key, body);
    body.push(Buffer.alloc(64 * 1024, 1));
    setTimeout(() => body.destroy(new Error('network dropped')), 20);
    const error = await rejectionOf(done);
    expect(error.code).toBe('IO');
    expect(error.message).toContain('network dropped');
    expect(error.hint).toBeTruthy();
    expect(listFiles(root)).toEqual([]);
    expect(await store.stat(key)).toBeNull();
  });

  it('leaves nothing behind when the input is destroyed without an error', async () => {
    const body = new Readable({ read() {} });
    const done = store.put(key, body);
    body.push('partial');
    setTimeout(() => body.destroy(), 20);
    await rejectionOf(done);
    expect(listFiles(root)).toEqual([]);
  });

  it('passes an ImportError from the input through unchanged', async () => {
    const limit = new ImportError('TOO_LARGE', 'file is over 100 MB');
    const body = new Readable({ read() {} });
    const done = store.put(key, body);
    setTimeout(() => body.destroy(limit), 10);
    expect(await rejectionOf(done)).toBe(limit);
    expect(listFiles(root)).toEqual([]);
  });

  it('keeps the previous file when a replacement fails', async () => {
    await store.put(key, Readable.from(['good']));
    const body = new Readable({ read() {} });
    const done = store.put(key, body);
    setTimeout(() => body.destroy(new Error('boom')), 10);
    await rejectionOf(done);
    expect(fs.readFileSync(path.join(root, key), 'utf8')).toBe('good');
    expect(listFiles(root)).toEqual([key]);
  });

  it('reports NOT_FOUND with a hint when opening a missing key', async () => {
    const error = await rejectionOf(store.open('uploads/nope.csv'));
    expect(error.code).toBe('NOT_FOUND');
    expect(error.hint).toMatch(/upload it again/);
    expect(await store.stat('uploads/nope.csv')).toBeNull();
  });

  it('treats a folder as missing', async () => {
    fs.mkdirSync(path.join(root, 'uploads', 'dir'), { recursive: true });
    expect(await store.stat('uploads/dir')).toBeNull();
    expect((await rejectionOf(store.open('uploads/dir'))).code).toBe('NOT_FOUND');
  });

  it.each([
    '/etc/passwd',
    '../outside.csv',
    'uploads/../../outside.csv',
    'uploads/./x.csv',
    'uploads//x.csv',
    'uploads\\..\\x.csv',
    'uploads/x\0.csv',
    '',
  ])('rejects the key %j', async (bad) => {
    for (const attempt of [
      store.put(bad, Readable.from(['x'])),
      store.open(bad),
      store.stat(bad),
      store.delete(bad),
    ]) {
      expect((await rejectionOf(attempt)).code).toBe('USAGE');
    }
    expect(fs.readdirSync(path.dirname(root)).filter((n) => n === 'outside.csv')).toEqual([]);
  });

  it('reports kind local', () => {
    expect(store.kind).toBe('local');
  });

  it('reports progress as bytes are written', async () => {
    const seen: number[] = [];
    await store.put(key, Readable.from([Buffer.from('abc'), Buffer.from('defg')]), { onProgress: (b) => seen.push(b) });
    expect(seen).toEqual([3, 7]);
  });

  it('lists stored files under a prefix, without temp files or other folders', async () => {
    await store.put('uploads/1-aaaaaa-a.csv', Readable.from(['a,b\n']));
    await store.put('uploads/2-bbbbbb-b.csv', Readable.from(['abc']));
    await store.put('templates/crm.json', Readable.from(['{}']));
    fs.writeFileSync(path.join(root, 'uploads', '.3-cccccc-c.csv.0123.part'), 'in progress');
    const listed = [];
    for await (const file of store.list('uploads/')) listed.push(file);
    expect(listed.map((f) => [f.key, f.size]).sort()).toEqual([
      ['uploads/1-aaaaaa-a.csv', 4],
      ['uploads/2-bbbbbb-b.csv', 3],
    ]);
    expect(listed[0]!.lastModified).toBeInstanceOf(Date);
    const narrowed = [];
    for await (const file of store.list('uploads/2-')) narrowed.push(file.key);
    expect(narrowed).toEqual(['uploads/2-bbbbbb-b.csv']);
  });

  it('lists nothing when the folder does not exist yet', async () => {
    const listed = [];
    for await (const file of store.list('uploads/')) listed.push(file);
    expect(listed).toEqual([]);
  });
});
