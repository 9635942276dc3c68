import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ContactToWrite } from '../../../src/db/contact-store.js';
import { SqliteContactStore } from '../../../src/db/sqlite-contact-store.js';
import { CONTACT_COLUMNS, SQLITE_SCHEMA_VERSION, ensureSqliteSchema, sqliteSchemaVersion } from '../../../src/db/sqlite-schema.js';
import { checkTableName, quoteIdent } from '../../../src/db/table-name.js';
import { ImportError } from '../../../src/errors.js';
import { SYSTEM_FIELDS, type Contact } from '../../../src/types.js';

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

function batch(...contacts: Contact[]): ContactToWrite[] {
  return contacts.map((contact, i) => ({ row: i + 1, contact }));
}

/** Reads rows straight from the file, outside the store. */
function rows(table = 'contacts', at = file): Record<string, unknown>[] {
  const db = new Database(at, { readonly: true });
  try {
    return db.prepare(`SELECT * FROM ${quoteIdent(table)} ORDER BY id`).all() as Record<string, unknown>[];
  } finally {
    db.close();
  }
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


async function caught(promise: Promise<unknown>): Promise<ImportError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ImportError);
  return error as ImportError;
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

  it('quotes identifiers', () => {
    expect(quoteIdent('order')).toBe('"order"');
    expect(quoteIdent('a"b')).toBe('"a""b"');
  });
});

describe('SQLite schema', () => {
  it('creates the tables, index and a version record, idempotently', async () => {
    const store = await openStore();
    await store.ensureSchema();
    await store.close();
    const again = await openStore();
    await again.close();

    const db = new Database(file, { readonly: true });
    const columns = (db.prepare("SELECT name FROM pragma_table_info('contacts')").all() as { name: string }[]).map((c) => c.name);
    expect(columns).toEqual([
      'id', 'email', 'first_name', 'last_name', 'phone', 'company', 'title', 'address', 'city', 'state',
      'country', 'zip_code', 'notes', 'import_id', 'created_at', 'updated_at',
    ]);
    const importColumns = (db.prepare("SELECT name FROM pragma_table_info('contact_imports')").all() as { name: string }[]).map((c) => c.name);
    expect(importColumns).toEqual([
      'id', 'file_id', 'file_name', 'status', 'started_at', 'finished_at', 'total_rows',
      'imported', 'updated', 'skipped', 'invalid', 'duplicates', 'excluded', 'mapping',
    ]);
    const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'contacts'").all();
    expect(indexes).toContainEqual({ name: 'contacts_import_id_idx' });
    const migrations = db.prepare('SELECT table_name, version, applied_at FROM contact_import_migrations').all() as {
      table_name: string; version: number; applied_at: string;
    }[];
    expect(migrations).toHaveLength(SQLITE_SCHEMA_VERSION);
    expect(migrations[0]).toMatchObject({ table_name: 'contacts', version: 1 });
    expect(migrations[0]!.applied_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
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
    expect(db.prepare('SELECT version FROM contact_import_migrations').all()).toEqual([{ version: 1 }]);
    db.close();
  });

  it('keeps several contacts tables side by side, sharing contact_imports', async () => {
    const a = await openStore({ table: 'customers' });
    const b = await openStore({ table: 'leads' });
    await a.writeBatch(batch({ email: 'a@x.com', firstName: 'A' }), { importId: 'i1', onDuplicate: 'skip' });
    await b.writeBatch(batch({ email: 'a@x.com', firstName: 'B' }), { importId: 'i2', onDuplicate: 'skip' });
    expect(a.countContacts()).toBe(1);
    expect(b.countContacts()).toBe(1);
    expect(rows('customers')[0]).toMatchObject({ first_name: 'A' });
    expect(rows('leads')[0]).toMatchObject({ first_name: 'B' });
    const db = new Database(file, { readonly: true });
    expect(db.prepare('SELECT table_name FROM contact_import_migrations ORDER BY table_name').all()).toEqual([
      { table_name: 'customers' },
      { table_name: 'leads' },
    ]);
    db.close();
  });

  it('refuses an unrelated table of the same name', async () => {
    const db = new Database(file);
    db.exec('CREATE TABLE contacts (id INTEGER PRIMARY KEY, email TEXT, name TEXT)');
    db.close();
    const store = SqliteContactStore.open(file, {});
    open.push(store);
    const error = await caught(store.ensureSchema());
    expect(error).toBeInstanceOf(ImportError);
    expect(error.code).toBe('USAGE');
    expect(error.message).toMatch(/^table "contacts" exists but is not a contacts table \(missing columns: first_name, last_name/);
    expect(error.hint).toBe('pass --table to use another table');
    // Nothing was half-created.
    const check = new Database(file, { readonly: true });
    expect(check.prepare("SELECT name FROM sqlite_master WHERE name = 'contact_imports'").get()).toBeUndefined();
    check.close();
  });

  it('refuses a view of the same name', async () => {
    const db = new Database(file);
    db.exec('CREATE VIEW contacts AS SELECT 1 AS x');
    db.close();
    const store = SqliteContactStore.open(file, {});
    open.push(store);
    await expect(store.ensureSchema()).rejects.toMatchObject({ code: 'USAGE' });
  });

  it('adopts an existing table that already has the contacts columns', async () => {
    const db = new Database(file);
    db.exec(`CREATE TABLE contacts (id INTEGER PRIMARY KEY, email TEXT UNIQUE, first_name TEXT, last_name TEXT,
      phone TEXT, company TEXT, title TEXT, address TEXT, city TEXT, state TEXT, country TEXT, zip_code TEXT,
      notes TEXT, import_id TEXT, created_at TEXT, updated_at TEXT, extra TEXT)`);
    db.prepare("INSERT INTO contacts (email, first_name, extra) VALUES ('kept@example.com', 'Kept', 'x')").run();
    db.close();
    const adopted = await openStore();
    expect(adopted.countContacts()).toBe(1);
    expect(await adopted.writeBatch(batch({ email: 'kept@example.com', firstName: 'K' }), { importId: 'i', onDuplicate: 'skip' })).toEqual(['existing']);
  });

  it('re-creates a table that was dropped after migrating', async () => {
    const store = await openStore();
    await store.close();
    const db = new Database(file);
    db.exec('DROP TABLE contacts');
    db.close();
    const again = await openStore();
    expect(again.countContacts()).toBe(0);
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

describe('writeBatch', () => {
  const ann: Contact = { email: 'ann@example.com', firstName: 'Ann', lastName: 'Lee', phone: '+14155550100', company: 'Acme' };

  it('inserts new contacts with import_id and timestamps', async () => {
    const store = await openStore();
    const before = new Date().toISOString();
    const outcomes = await store.writeBatch(batch(ann, { email: 'bob@example.com', firstName: 'Bob' }), {
      importId: 'imp-1',
      onDuplicate: 'skip',
    });
    expect(outcomes).toEqual(['inserted', 'inserted']);
    const [a, b] = rows();
    expect(a).toMatchObject({ email: 'ann@example.com', first_name: 'Ann', last_name: 'Lee', phone: '+14155550100', company: 'Acme', title: null, import_id: 'imp-1' });
    expect(b).toMatchObject({ email: 'bob@example.com', first_name: 'Bob', last_name: null, import_id: 'imp-1' });
    expect(a!.created_at).toBe(a!.updated_at);
    expect(String(a!.created_at) >= before).toBe(true);
    expect(a!.created_at).toMatch(/Z$/);
  });

  it('leaves existing contacts alone with skip', async () => {
    const store = await openStore();
    await store.writeBatch(batch(ann), { importId: 'imp-1', onDuplicate: 'skip' });
    const outcomes = await store.writeBatch(batch({ email: 'ann@example.com', firstName: 'Annie', city: 'Oslo' }, { email: 'new@example.com', firstName: 'New' }), {
      importId: 'imp-2',
      onDuplicate: 'skip',
    });
    expect(outcomes).toEqual(['existing', 'inserted']);
    expect(rows()[0]).toMatchObject({ first_name: 'Ann', city: null, import_id: 'imp-1' });
  });

  it('overwrites only non-empty fields with update, keeping import_id and created_at', async () => {
    const store = await openStore();
    await store.writeBatch(batch(ann), { importId: 'imp-1', onDuplicate: 'skip' });
    const [original] = rows();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const outcomes = await store.writeBatch(
      batch({ email: 'ann@example.com', firstName: 'Annie', lastName: '', company: '', city: 'Oslo' }),
      { importId: 'imp-2', onDuplicate: 'update' },
    );
    expect(outcomes).toEqual(['updated']);
    const [updated] = rows();
    expect(updated).toMatchObject({
      id: original!.id,
      first_name: 'Annie',
      last_name: 'Lee',
      phone: '+14155550100',
      company: 'Acme',
      city: 'Oslo',
      import_id: 'imp-1',
      created_at: original!.created_at,
    });
    expect(String(updated!.updated_at) > String(original!.updated_at)).toBe(true);
  });

  it('stays correct when one batch repeats an email', async () => {
    const store = await openStore();
    const twice = batch({ email: 'x@example.com', firstName: 'One' }, { email: 'x@example.com', firstName: 'Two' });
    expect(await store.writeBatch(twice, { importId: 'i', onDuplicate: 'skip' })).toEqual(['inserted', 'existing']);
    expect(await store.writeBatch(twice, { importId: 'i', onDuplicate: 'update' })).toEqual(['updated', 'updated']);
    expect(rows()).toHaveLength(1);
    expect(rows()[0]).toMatchObject({ first_name: 'Two' });
  });

  it('stores unicode, quotes, newlines and SQL-looking text byte for byte', async () => {
    const store = await openStore({ table: 'weird_people' });
    const tricky: Contact = {
      email: 'zoë@exämple.com',
      firstName: 'Zoë "Z" O\'Brien',
      lastName: '李\u0000小龙',
      notes: 'line 1\r\nline 2\n\ttabbed; DROP TABLE contacts; --',
      address: '🙂 emoji \u202e rtl',
      company: '  spaced  ',
    };
    await store.writeBatch(batch(tricky), { importId: 'i', onDuplicate: 'skip' });
    const [row] = rows('weird_people');
    expect(row).toMatchObject({
      email: tricky.email,
      first_name: tricky.firstName,
      last_name: tricky.lastName,
      notes: tricky.notes,
      address: tricky.address,
      company: tricky.company,
    });
  });

  it('returns nothing for an empty batch', async () => {
    const store = await openStore();
    expect(await store.writeBatch([], { importId: 'i', onDuplicate: 'skip' })).toEqual([]);
  });

  it('writes a batch all or nothing', async () => {
    const store = await openStore();
    const bad = batch({ email: 'ok@example.com', firstName: 'Ok' }, { email: null as unknown as string, firstName: 'Broken' });
    const error = await caught(store.writeBatch(bad, { importId: 'i', onDuplicate: 'skip' }));
    expect(error).toBeInstanceOf(ImportError);
    expect(error.code).toBe('IO');
    expect(error.message).toMatch(/rows 1–2/);
    expect(rows()).toHaveLength(0);
  });
});

describe('dry run', () => {
  it('reports real outcomes but leaves the database unchanged after close', async () => {
    const real = await openStore();
    await real.writeBatch(batch({ email: 'old@example.com', firstName: 'Old' }), { importId: 'imp-0', onDuplicate: 'skip' });
    await real.close();
    const before = rows();

    const dry = await openStore({ dryRun: true });
    await dry.startImport({ importId: 'imp-dry', fileId: 'f', fileName: 'c.csv', totalRows: 3, mapping: {} });
    const first = await dry.writeBatch(
      batch({ email: 'old@example.com', firstName: 'Changed' }, { email: 'new@example.com', firstName: 'New' }),
      { importId: 'imp-dry', onDuplicate: 'update' },
    );
    const second = await dry.writeBatch(batch({ email: 'new@example.com', firstName: 'Again' }), {
      importId: 'imp-dry',
      onDuplicate: 'skip',
    });
    expect(first).toEqual(['updated', 'inserted']);
    expect(second).toEqual(['existing']);
    expect(dry.countContacts()).toBe(2);
    await dry.finishImport('imp-dry', 'completed', { totalRows: 3, imported: 1, updated: 1, skipped: 0, invalid: 0, duplicates: 0, excluded: 0 });
    await dry.close();

    expect(rows()).toEqual(before);
    const db = new Database(file, { readonly: true });
    expect(db.prepare('SELECT count(*) AS n FROM contact_imports').get()).toEqual({ n: 0 });
    db.close();
  });

  it('creates no file when the database does not exist yet', async () => {
    const dry = await openStore({ dryRun: true });
    expect(await dry.writeBatch(batch({ email: 'a@b.co', firstName: 'A' }), { importId: 'i', onDuplicate: 'skip' })).toEqual(['inserted']);
    await dry.close();
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('keeps earlier batches when a later batch fails', async () => {
    const dry = await openStore({ dryRun: true });
    await dry.writeBatch(batch({ email: 'a@b.co', firstName: 'A' }), { importId: 'i', onDuplicate: 'skip' });
    await expect(
      dry.writeBatch(batch({ email: null as unknown as string, firstName: 'X' }), { importId: 'i', onDuplicate: 'skip' }),
    ).rejects.toMatchObject({ code: 'IO' });
    expect(dry.countContacts()).toBe(1);
  });
});

describe('contact_imports', () => {
  it('records a run from start to finish', async () => {
    const store = await openStore();
    const mapping = { 'E-mail': 'email', 'Given Name': 'firstName', 'Nom "court"': 'lastName' };
    await store.startImport({ importId: 'imp-9', fileId: 'file-9', fileName: 'contacts.csv', totalRows: 10, mapping });
    const db = new Database(file, { readonly: true });
    const running = db.prepare('SELECT * FROM contact_imports WHERE id = ?').get('imp-9') as Record<string, unknown>;
    expect(running).toMatchObject({ file_id: 'file-9', file_name: 'contacts.csv', status: 'running', finished_at: null, total_rows: 10 });
    expect(JSON.parse(String(running.mapping))).toEqual(mapping);
    expect(running.started_at).toMatch(/Z$/);

    await store.finishImport('imp-9', 'completed', { totalRows: 10, imported: 6, updated: 1, skipped: 3, invalid: 1, duplicates: 1, excluded: 1 });
    const done = db.prepare('SELECT * FROM contact_imports WHERE id = ?').get('imp-9') as Record<string, unknown>;
    expect(done).toMatchObject({ status: 'completed', total_rows: 10, imported: 6, updated: 1, skipped: 3, invalid: 1, duplicates: 1, excluded: 1 });
    expect(String(done.finished_at) >= String(done.started_at)).toBe(true);
    db.close();
  });

  it('refuses to finish a run that never started', async () => {
    const store = await openStore();
    const counts = { totalRows: 0, imported: 0, updated: 0, skipped: 0, invalid: 0, duplicates: 0, excluded: 0 };
    await expect(store.finishImport('ghost', 'failed', counts)).rejects.toBeInstanceOf(ImportError);
  });

  it('refuses to use a closed store', async () => {
    const store = await openStore();
    await store.close();
    await store.close(); // twice is fine
    await expect(store.writeBatch([], { importId: 'i', onDuplicate: 'skip' })).rejects.toBeInstanceOf(ImportError);
  });
});
