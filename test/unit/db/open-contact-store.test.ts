import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ContactStore } from '../../../src/db/contact-store.js';
import { openContactStore, parseDatabaseUrl, redactDatabaseUrl } from '../../../src/db/open-contact-store.js';
import { rejectionOf } from '../../helpers/import-error.js';
import { thrownBy } from '../../helpers/import-error.js';

let dir: string;
const stores: ContactStore[] = [];

beforeEach(() => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ci-open-')));
});

afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('parseDatabaseUrl', () => {
  it.each([
    ['sqlite:contacts.db', 'contacts.db'],
    ['sqlite:data/c.db', 'data/c.db'],
    ['sqlite:/abs/c.db', '/abs/c.db'],
    ['sqlite://data/c.db', 'data/c.db'],
    ['sqlite:///abs/c.db', '/abs/c.db'],
    ['SQLITE:Contacts.DB', 'Contacts.DB'],
    ['sqlite::memory:', ':memory:'],
    ['sqlite:no-extension', 'no-extension'],
    ['file:x.db', 'x.db'],
    ['file:///abs/my%20c.db', '/abs/my c.db'],
    ['contacts.db', 'contacts.db'],
    ['./data/c.sqlite', './data/c.sqlite'],
    ['/abs/c.sqlite3', '/abs/c.sqlite3'],
    ['  spaced.db  ', 'spaced.db'],
  ])('%j → sqlite %j', (url, expected) => {
    expect(parseDatabaseUrl(url)).toEqual({ engine: 'sqlite', path: expected });
  });

  it.each(['postgres://u:p@h/db', 'postgresql://h/db?schema=crm', 'POSTGRES://h', 'postgres://'])('%j → postgres', (url) => {
    expect(parseDatabaseUrl(`  ${url} `)).toEqual({ engine: 'postgres', url });
  });

  it.each(['mysql://root:hunter2@localhost/db', 'contacts.csv', '', 'sqlite:', 'sqlite://', 'file://remotehost/x.db', 'http://x/y.db'])(
    'rejects %j with USAGE',
    (url) => {
      const error = thrownBy(() => parseDatabaseUrl(url));
      expect(error.code).toBe('USAGE');
      expect(error.message).toMatch(/^unsupported database URL "/);
      expect(error.hint).toBe('use sqlite:path.db or postgres://…');
    },
  );

  it('never repeats a password', () => {
    const error = thrownBy(() => parseDatabaseUrl('mysql://root:hunter2@localhost/db'));
    expect(error.message).not.toContain('hunter2');
    expect(error.message).toContain('mysql://root:***@localhost/db');
    expect(redactDatabaseUrl('redis://:s3cr@t@host:6379')).toBe('redis://:***@host:6379');
    expect(redactDatabaseUrl('oracle:scott:tiger@host')).not.toContain('tiger');
    expect(redactDatabaseUrl('sqlite:plain.db')).toBe('sqlite:plain.db');
  });
});

describe('openContactStore', () => {
  it('opens a SQLite file relative to the current folder, with its schema', async () => {
    const relative = path.relative(process.cwd(), path.join(dir, 'contacts.db'));
    expect(path.isAbsolute(relative)).toBe(false);
    const store = await openContactStore(`sqlite:${relative}`, {});
    stores.push(store);
    expect(store.engine).toBe('sqlite');
    expect(await store.writeBatch([{ row: 1, contact: { email: 'a@b.co', firstName: 'A' } }], { importId: 'i', onDuplicate: 'skip' })).toEqual([{ outcome: 'inserted', id: 1 }]);
    await store.close();
    const db = new Database(path.join(dir, 'contacts.db'), { readonly: true });
    expect(db.prepare('SELECT email FROM contacts').all()).toEqual([{ email: 'a@b.co' }]);
    db.close();
  });

  it('accepts absolute paths, file URLs, bare paths and a custom table', async () => {
    const urls = [
      `sqlite:${path.join(dir, 'a.db')}`,
      `sqlite://${path.join(dir, 'b.db')}`,
      pathToFileURL(path.join(dir, 'c d.db')).href,
      path.join(dir, 'e.sqlite3'),
    ];
    for (const url of urls) {
      const store = await openContactStore(url, { table: 'people' });
      stores.push(store);
    }
    expect(fs.readdirSync(dir).filter((n) => !n.endsWith('-wal') && !n.endsWith('-shm')).sort()).toEqual(['a.db', 'b.db', 'c d.db', 'e.sqlite3']);
    const db = new Database(path.join(dir, 'c d.db'), { readonly: true });
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'people'").get()).toEqual({ name: 'people' });
    db.close();
  });

  it('reports an unreachable PostgreSQL server as IO, without the password', async () => {
    // Port 1 on the loopback interface: nothing listens there, so the refusal is immediate.
    const error = await rejectionOf(openContactStore('postgres://admin:topsecret@127.0.0.1:1/crm', {}));
    expect(error.code).toBe('IO');
    expect(error.message).toBe('cannot connect to PostgreSQL at admin@127.0.0.1:1/crm: connection refused');
    expect(error.hint).toBeTruthy();
    expect(JSON.stringify({ m: error.message, h: error.hint })).not.toContain('topsecret');
  });

  it('refuses --schema for SQLite', async () => {
    const error = await rejectionOf(openContactStore(`sqlite:${path.join(dir, 'c.db')}`, { schema: 'crm' }));
    expect(error.code).toBe('USAGE');
    expect(error.message).toBe('--schema applies to PostgreSQL only');
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('rejects unsupported URLs', async () => {
    await expect(openContactStore('mongodb://x', {})).rejects.toMatchObject({ code: 'USAGE' });
  });

  it('closes the database when the schema cannot be created', async () => {
    const file = path.join(dir, 'clash.db');
    const db = new Database(file);
    db.exec('CREATE TABLE contacts (id INTEGER PRIMARY KEY, whatever TEXT)');
    db.close();
    await expect(openContactStore(`sqlite:${file}`, {})).rejects.toMatchObject({ code: 'USAGE' });
    // Closed cleanly: an exclusive lock can be taken at once.
    const check = new Database(file, { timeout: 0 });
    check.exec('BEGIN EXCLUSIVE; ROLLBACK');
    check.close();
  });

  it('reports a missing folder as IO', async () => {
    await expect(openContactStore(`sqlite:${path.join(dir, 'nope', 'c.db')}`, {})).rejects.toMatchObject({ code: 'IO' });
  });

  it('runs a dry run that leaves nothing behind', async () => {
    const file = path.join(dir, 'dry.db');
    const store = await openContactStore(`sqlite:${file}`, { dryRun: true });
    expect(await store.writeBatch([{ row: 1, contact: { email: 'a@b.co', firstName: 'A' } }], { importId: 'i', onDuplicate: 'skip' })).toEqual([{ outcome: 'inserted', id: 1 }]);
    await store.close();
    expect(fs.existsSync(file)).toBe(false);
  });
});
