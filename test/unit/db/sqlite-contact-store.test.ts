import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteContactStore } from '../../../src/db/sqlite-contact-store.js';
import { CONTACT_COLUMNS, SQLITE_SCHEMA_VERSION, ensureSqliteSchema, sqliteSchemaVersion } from '../../../src/db/sqlite-schema.js';
import { checkSchemaName, checkTableName, quoteIdent } from '../../../src/db/table-name.js';
import { ImportError } from '../../../src/errors.js';
import { SYSTEM_FIELDS } from '../../../src/types.js';

let dir: string;
let file: string;
const open: SqliteContactStore[] = [];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ci-sqlite-'));
  file = path.join(dir, 'contacts.db');
});

afterEach(async () => {
  for (const store of open.splice(0)) await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function openStore(options: { table?: string; dryRun?: boolean } = {}, at = file): Promise<SqliteContactStore> {
  const store = SqliteContactStore.open(at, options);
  open.push(store);
  await store.ensureSchema();
  return store;
}

function rejection(fn: () => unknown): ImportError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ImportError);
    return error as ImportError;
  }
  throw new Error('expected an ImportError');
}

describe('checkTableName', () => {
  it('accepts plain identifiers', () => {
    for (const name of ['contacts', 'Contacts_2024', '_x', 'a'.repeat(63)]) expect(checkTableName(name)).toBe(name);
  });

  it.each(['', '1abc', 'a-b', 'a b', 'x"; DROP TABLE contacts; --', 'a'.repeat(64), 'contact_imports', 'CONTACT_IMPORTS', 'sqlite_master', 'Sqlite_x', 'contact_import_migrations', 'é'])(
    'rejects %j with USAGE and a hint',
    (name) => {
      const error = rejection(() => checkTableName(name));
      expect(error.code).toBe('USAGE');
      expect(error.hint).toBeTruthy();
    },
  );

  it('checks schema names the same way, keeping pg_ names for the server', () => {
    expect(checkSchemaName('crm_2024')).toBe('crm_2024');
    for (const name of ['', 'a-b', 'pg_catalog', 'PG_x', 'information_schema', 'a'.repeat(64)]) {
      const error = rejection(() => checkSchemaName(name));
      expect(error.code).toBe('USAGE');
      expect(error.hint).toMatch(/--schema/);
    }
  });

  it('quotes identifiers', () => {
    expect(quoteIdent('order')).toBe('"order"');
    expect(quoteIdent('a"b')).toBe('"a""b"');
  });
});

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

  it('has a column for every system field', () => {
    for (const field of SYSTEM_FIELDS) expect(CONTACT_COLUMNS).toContain(field.column);
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

describe('SqliteContactStore.open', () => {
  it('reports a missing folder as IO with a hint', () => {
    const error = rejection(() => SqliteContactStore.open(path.join(dir, 'missing', 'c.db')));
    expect(error.code).toBe('IO');
    expect(error.message).toMatch(/^cannot open SQLite database .*c\.db: /);
    expect(error.hint).toBeTruthy();
  });

  it('reports a file that is not a database as IO', () => {
    fs.writeFileSync(file, 'this is not sqlite, just some text that is long enough '.repeat(20));
    const error = rejection(() => SqliteContactStore.open(file));
    expect(error.code).toBe('IO');
    expect(error.message).toContain(`cannot open SQLite database ${file}`);
  });

  it('reports a folder given as the database as IO', () => {
    expect(rejection(() => SqliteContactStore.open(dir)).code).toBe('IO');
  });

  it('validates the table name', () => {
    expect(rejection(() => SqliteContactStore.open(file, { table: 'bad name' })).code).toBe('USAGE');
  });
});
