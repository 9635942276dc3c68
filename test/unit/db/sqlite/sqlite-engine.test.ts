import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM_FIELDS } from '../../../../src/contacts/fields.js';
import { FIELD_COLUMNS } from '../../../../src/db/field-columns.js';
import { SqliteEngine } from '../../../../src/db/sqlite/sqlite-engine.js';
import { CONTACT_COLUMNS, SQLITE_SCHEMA_VERSION, ensureSqliteSchema, sqliteSchemaVersion } from '../../../../src/db/sqlite/sqlite-schema.js';
import { thrownBy } from '../../../helpers/import-error.js';

let dir: string;
let file: string;
const open: SqliteEngine[] = [];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ci-sqlite-'));
  file = path.join(dir, 'contacts.db');
});

afterEach(async () => {
  for (const store of open.splice(0)) await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function openStore(options: { table?: string; dryRun?: boolean } = {}, at = file): Promise<SqliteEngine> {
  const store = SqliteEngine.open(at, options);
  open.push(store);
  await store.ensureSchema();
  return store;
}

describe('SQLite schema', () => {
  // Columns, version records and idempotence are in test/integration/contact-store.test.ts.
  it('creates the import_id index, WAL mode and a readable version', async () => {
    const store = await openStore();
    await store.close();
    const db = new Database(file, { readonly: true });
    const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'contacts'").all();
    expect(indexes).toContainEqual({ name: 'contacts_import_id_idx' });
    expect(sqliteSchemaVersion(db, 'contacts')).toBe(SQLITE_SCHEMA_VERSION);
    expect(sqliteSchemaVersion(db, 'other')).toBe(0);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('gives a file it creates 16 KiB pages, and leaves an existing file its own', async () => {
    await (await openStore()).close();
    const existing = path.join(dir, 'existing.db');
    const made = new Database(existing);
    made.exec('CREATE TABLE t (x)');
    made.close();
    await (await openStore({}, existing)).close();
    const pageSize = (at: string) => {
      const db = new Database(at, { readonly: true });
      try {
        return db.pragma('page_size', { simple: true });
      } finally {
        db.close();
      }
    };
    expect(pageSize(file)).toBe(16384);
    expect(pageSize(existing)).toBe(4096);
  });

  it('has a column for every system field', () => {
    for (const field of SYSTEM_FIELDS) expect(CONTACT_COLUMNS).toContain(FIELD_COLUMNS[field.key]);
  });

  it('records each version once, however often it runs', () => {
    const db = new Database(':memory:');
    ensureSqliteSchema(db, 'contacts');
    ensureSqliteSchema(db, 'contacts');
    db.transaction(() => ensureSqliteSchema(db, 'contacts'))();
    expect(db.prepare('SELECT version FROM contact_import_migrations ORDER BY version').all()).toEqual([{ version: 1 }, { version: 2 }]);
    db.close();
  });
});

describe('SqliteEngine.open', () => {
  it('borrows a database it is handed, leaving it open', async () => {
    const db = new Database(':memory:');
    const engine = SqliteEngine.open(db, { table: 'people' });
    await engine.ensureSchema();
    await engine.close();
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'people'").get()).toEqual({ name: 'people' });
    db.close();
  });

  it('closes a database a factory made for it', async () => {
    let made: Database.Database | undefined;
    const engine = SqliteEngine.open(() => (made = new Database(':memory:')));
    await engine.ensureSchema();
    await engine.close();
    expect(made!.open).toBe(false);
  });

  it('reports a missing folder as IO with a hint', () => {
    const error = thrownBy(() => SqliteEngine.open(path.join(dir, 'missing', 'c.db')));
    expect(error.code).toBe('IO');
    expect(error.message).toMatch(/^cannot open SQLite database .*c\.db: /);
    expect(error.hint).toBeTruthy();
  });

  it('reports a file that is not a database as IO', () => {
    fs.writeFileSync(file, 'this is not sqlite, just some text that is long enough '.repeat(20));
    const error = thrownBy(() => SqliteEngine.open(file));
    expect(error.code).toBe('IO');
    expect(error.message).toContain(`cannot open SQLite database ${file}`);
  });

  it('reports a folder given as the database as IO', () => {
    expect(thrownBy(() => SqliteEngine.open(dir)).code).toBe('IO');
  });

  it('validates the table name', () => {
    expect(thrownBy(() => SqliteEngine.open(file, { table: 'bad name' })).code).toBe('USAGE');
  });
});
