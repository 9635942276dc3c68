// One behavioural suite for every contacts engine: SQLite in a temp file, PostgreSQL in a
// schema of its own per test. Both must give the same outcomes and store the same values.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ContactStore, ContactStoreOptions, ContactToWrite } from '../../src/db/contact-store.js';
import { openContactStore } from '../../src/db/open-contact-store.js';
import { ImportError } from '../../src/errors.js';
import type { Contact } from '../../src/types.js';
import { ENGINES, type TestDatabase } from '../helpers/databases.js';
import { rejectionOf } from '../helpers/import-error.js';

const ann: Contact = { email: 'ann@example.com', firstName: 'Ann', lastName: 'Lee', phone: '+14155550100', company: 'Acme' };
const zeroCounts = { totalRows: 0, imported: 0, updated: 0, skipped: 0, invalid: 0, duplicates: 0, excluded: 0 };

function batch(...contacts: Contact[]): ContactToWrite[] {
  return contacts.map((contact, i) => ({ row: i + 1, contact }));
}

/** Both stores count their own rows, uncommitted dry-run work included (SQLite synchronously). */
async function count(store: ContactStore): Promise<number> {
  return (store as unknown as { countContacts(): number | Promise<number> }).countContacts();
}


describe.each(ENGINES)('$name contact store', (engine) => {
  let dir: string;
  let db: TestDatabase;
  const open: ContactStore[] = [];

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ci-store-'));
    db = engine.create(dir);
  });

  afterEach(async () => {
    for (const store of open.splice(0)) await store.close();
    await db.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function openStore(options: ContactStoreOptions = {}): Promise<ContactStore> {
    const store = await openContactStore(db.url, options);
    open.push(store);
    return store;
  }

  const rows = (table = 'contacts') => db.query(`SELECT * FROM ${table} ORDER BY id`);

  describe('schema', () => {
    it('creates the tables and a version record, idempotently', async () => {
      const store = await openStore();
      await store.ensureSchema();
      await store.close();
      await (await openStore()).close();

      expect(await db.columns('contacts')).toEqual([
        'id', 'email', 'first_name', 'last_name', 'phone', 'company', 'title', 'address', 'city', 'state',
        'country', 'zip_code', 'notes', 'import_id', 'created_at', 'updated_at',
      ]);
      expect(await db.columns('contact_imports')).toEqual([
        'id', 'file_id', 'file_name', 'status', 'started_at', 'finished_at', 'total_rows',
        'imported', 'updated', 'skipped', 'invalid', 'duplicates', 'excluded', 'mapping',
      ]);
      const migrations = await db.query('SELECT table_name, version, applied_at FROM contact_import_migrations');
      expect(migrations).toHaveLength(1);
      expect(migrations[0]).toMatchObject({ table_name: 'contacts', version: 1 });
      expect(migrations[0]!.applied_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    });

    it('keeps several contacts tables side by side, sharing contact_imports', async () => {
      const a = await openStore({ table: 'customers' });
      const b = await openStore({ table: 'leads' });
      await a.writeBatch(batch({ email: 'a@x.com', firstName: 'A' }), { importId: 'i1', onDuplicate: 'skip' });
      await b.writeBatch(batch({ email: 'a@x.com', firstName: 'B' }), { importId: 'i2', onDuplicate: 'skip' });
      expect(await count(a)).toBe(1);
      expect(await count(b)).toBe(1);
      expect((await rows('customers'))[0]).toMatchObject({ first_name: 'A' });
      expect((await rows('leads'))[0]).toMatchObject({ first_name: 'B' });
      expect(await db.query('SELECT table_name FROM contact_import_migrations ORDER BY table_name')).toEqual([
        { table_name: 'customers' },
        { table_name: 'leads' },
      ]);
      expect(await db.tables()).toEqual(['contact_import_migrations', 'contact_imports', 'customers', 'leads']);
    });

    it('refuses an unrelated table of the same name, creating nothing', async () => {
      await db.exec('CREATE TABLE contacts (id INTEGER PRIMARY KEY, email TEXT, name TEXT)');
      const error = await rejectionOf(openStore());
      expect(error.code).toBe('USAGE');
      expect(error.message).toMatch(/^table "(\w+\.)?contacts" exists but is not a contacts table \(missing columns: first_name, last_name/);
      expect(error.hint).toMatch(/^pass --table/);
      expect(await db.tables()).toEqual(['contacts']);
    });

    it('refuses a view of the same name', async () => {
      await db.exec('CREATE VIEW contacts AS SELECT 1 AS x');
      const error = await rejectionOf(openStore());
      expect(error.code).toBe('USAGE');
      expect(error.message).toMatch(/contacts" exists but is a view, not a contacts table$/);
    });

    it('adopts an existing table that already has the contacts columns', async () => {
      await db.exec(`CREATE TABLE contacts (${engine.autoId}, email TEXT UNIQUE, first_name TEXT, last_name TEXT,
        phone TEXT, company TEXT, title TEXT, address TEXT, city TEXT, state TEXT, country TEXT, zip_code TEXT,
        notes TEXT, import_id TEXT, created_at TEXT, updated_at TEXT, extra TEXT);
        INSERT INTO contacts (email, first_name, extra) VALUES ('kept@example.com', 'Kept', 'x');`);
      const adopted = await openStore();
      expect(await count(adopted)).toBe(1);
      const outcomes = await adopted.writeBatch(batch({ email: 'kept@example.com', firstName: 'K' }, { email: 'new@example.com', firstName: 'N' }), {
        importId: 'i',
        onDuplicate: 'skip',
      });
      expect(outcomes).toEqual(['existing', 'inserted']);
    });

    it('re-creates a table that was dropped after migrating', async () => {
      await (await openStore()).close();
      await db.exec('DROP TABLE contacts');
      expect(await count(await openStore())).toBe(0);
    });
  });

  describe('writeBatch', () => {
    it('inserts new contacts with import_id and timestamps', async () => {
      const store = await openStore();
      const before = new Date().toISOString();
      const outcomes = await store.writeBatch(batch(ann, { email: 'bob@example.com', firstName: 'Bob' }), {
        importId: 'imp-1',
        onDuplicate: 'skip',
      });
      expect(outcomes).toEqual(['inserted', 'inserted']);
      const [a, b] = await rows();
      expect(a).toMatchObject({ id: 1, email: 'ann@example.com', first_name: 'Ann', last_name: 'Lee', phone: '+14155550100', company: 'Acme', title: null, import_id: 'imp-1' });
      expect(b).toMatchObject({ id: 2, email: 'bob@example.com', first_name: 'Bob', last_name: null, import_id: 'imp-1' });
      expect(a!.created_at).toBe(a!.updated_at);
      expect(a!.created_at >= before).toBe(true);
      expect(a!.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    });

    it('leaves existing contacts alone with skip', async () => {
      const store = await openStore();
      await store.writeBatch(batch(ann), { importId: 'imp-1', onDuplicate: 'skip' });
      const outcomes = await store.writeBatch(
        batch({ email: 'ann@example.com', firstName: 'Annie', city: 'Oslo' }, { email: 'new@example.com', firstName: 'New' }),
        { importId: 'imp-2', onDuplicate: 'skip' },
      );
      expect(outcomes).toEqual(['existing', 'inserted']);
      expect((await rows())[0]).toMatchObject({ first_name: 'Ann', city: null, import_id: 'imp-1' });
    });

    it('overwrites only non-empty fields with update, keeping import_id and created_at', async () => {
      const store = await openStore();
      await store.writeBatch(batch(ann), { importId: 'imp-1', onDuplicate: 'skip' });
      const [original] = await rows();
      await new Promise((resolve) => setTimeout(resolve, 5));
      const outcomes = await store.writeBatch(
        batch({ email: 'ann@example.com', firstName: 'Annie', lastName: '', company: '', city: 'Oslo' }, { email: 'eve@example.com', firstName: 'Eve' }),
        { importId: 'imp-2', onDuplicate: 'update' },
      );
      expect(outcomes).toEqual(['updated', 'inserted']);
      const [updated, eve] = await rows();
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
      expect(updated!.updated_at > original!.updated_at).toBe(true);
      expect(eve).toMatchObject({ first_name: 'Eve', import_id: 'imp-2' });
      expect(eve!.created_at).toBe(updated!.updated_at);
    });

    it('stays correct when one batch repeats an email', async () => {
      const store = await openStore();
      const twice = batch({ email: 'x@example.com', firstName: 'One', city: 'Oslo' }, { email: 'x@example.com', firstName: 'Two' });
      expect(await store.writeBatch(twice, { importId: 'i', onDuplicate: 'skip' })).toEqual(['inserted', 'existing']);
      expect(await store.writeBatch(twice, { importId: 'i', onDuplicate: 'update' })).toEqual(['updated', 'updated']);
      const fresh = batch({ email: 'y@example.com', firstName: 'One' }, { email: 'z@example.com', firstName: 'Z' }, { email: 'y@example.com', firstName: 'Two', city: 'Rome' });
      expect(await store.writeBatch(fresh, { importId: 'i', onDuplicate: 'update' })).toEqual(['inserted', 'inserted', 'updated']);
      expect((await rows()).map((r) => [r.email, r.first_name, r.city])).toEqual([
        ['x@example.com', 'Two', 'Oslo'],
        ['y@example.com', 'Two', 'Rome'],
        ['z@example.com', 'Z', null],
      ]);
    });

    it('stores unicode, quotes, newlines, backslashes and SQL-looking text byte for byte', async () => {
      const store = await openStore({ table: 'weird_people' });
      const tricky: Contact = {
        email: 'zoë@exämple.com',
        firstName: 'Zoë "Z" O\'Brien',
        lastName: '李小龙 \\N',
        notes: 'line 1\r\nline 2\n\ttabbed; DROP TABLE contacts; --\n\\.\n',
        address: '🙂 emoji \u202e rtl \u0001 \\t',
        company: '  spaced  ',
        city: '\\',
        title: ',"\'\t\\\\',
      };
      await store.writeBatch(batch(tricky), { importId: 'i', onDuplicate: 'skip' });
      const [row] = await rows('weird_people');
      expect(row).toMatchObject({
        email: tricky.email,
        first_name: tricky.firstName,
        last_name: tricky.lastName,
        notes: tricky.notes,
        address: tricky.address,
        company: tricky.company,
        city: tricky.city,
        title: tricky.title,
      });
    });

    it('writes a batch of 1000 in order, then finds all of them again', async () => {
      const store = await openStore();
      const contacts = Array.from({ length: 1000 }, (_, i) => ({ email: `p${i}@example.com`, firstName: `P${i}`, notes: i % 7 === 0 ? `n\t${i}` : undefined }) as Contact);
      const outcomes = await store.writeBatch(batch(...contacts), { importId: 'big', onDuplicate: 'skip' });
      expect(outcomes).toEqual(new Array(1000).fill('inserted'));
      const stored = await rows();
      expect(stored.map((r) => r.email)).toEqual(contacts.map((c) => c.email));
      expect(stored[7]).toMatchObject({ id: 8, notes: 'n\t7' });
      const again = await store.writeBatch(batch(...contacts.slice(500), { email: 'new@example.com', firstName: 'N' }), { importId: 'big2', onDuplicate: 'update' });
      expect(again).toEqual([...new Array(500).fill('updated'), 'inserted']);
      expect(await count(store)).toBe(1001);
    });

    it('returns nothing for an empty batch', async () => {
      const store = await openStore();
      expect(await store.writeBatch([], { importId: 'i', onDuplicate: 'skip' })).toEqual([]);
    });

    it('writes a batch all or nothing, naming its rows', async () => {
      const store = await openStore();
      const bad = batch({ email: 'ok@example.com', firstName: 'Ok' }, { email: null as unknown as string, firstName: 'Broken' });
      const error = await rejectionOf(store.writeBatch(bad, { importId: 'i', onDuplicate: 'skip' }));
      expect(error.code).toBe('IO');
      expect(error.message).toMatch(/rows 1–2/);
      expect(await rows()).toHaveLength(0);
      // The store is still usable afterwards.
      expect(await store.writeBatch(batch(ann), { importId: 'i', onDuplicate: 'skip' })).toEqual(['inserted']);
    });
  });

  describe('dry run', () => {
    it('reports real outcomes but leaves the database unchanged after close', async () => {
      const real = await openStore();
      await real.writeBatch(batch({ email: 'old@example.com', firstName: 'Old' }), { importId: 'imp-0', onDuplicate: 'skip' });
      await real.close();
      const before = await rows();

      const dry = await openStore({ dryRun: true });
      await dry.startImport({ importId: 'imp-dry', fileId: 'f', fileName: 'c.csv', totalRows: 3, mapping: {} });
      const first = await dry.writeBatch(
        batch({ email: 'old@example.com', firstName: 'Changed' }, { email: 'new@example.com', firstName: 'New' }),
        { importId: 'imp-dry', onDuplicate: 'update' },
      );
      const second = await dry.writeBatch(batch({ email: 'new@example.com', firstName: 'Again' }), { importId: 'imp-dry', onDuplicate: 'skip' });
      // A row this (uncommitted) run inserted itself is found and updated by a later batch.
      const third = await dry.writeBatch(batch({ email: 'new@example.com', firstName: 'Third' }, { email: 'old@example.com', firstName: 'Again' }), {
        importId: 'imp-dry',
        onDuplicate: 'update',
      });
      expect(first).toEqual(['updated', 'inserted']);
      expect(second).toEqual(['existing']);
      expect(third).toEqual(['updated', 'updated']);
      expect(await count(dry)).toBe(2);
      await dry.finishImport('imp-dry', 'completed', { ...zeroCounts, totalRows: 3, imported: 1, updated: 1 });
      await dry.close();

      expect(await rows()).toEqual(before);
      expect(Number((await db.query('SELECT count(*) AS n FROM contact_imports'))[0]!.n)).toBe(0);
    });

    it('creates nothing when the database is still empty', async () => {
      const dry = await openStore({ dryRun: true });
      expect(await dry.writeBatch(batch({ email: 'a@b.co', firstName: 'A' }), { importId: 'i', onDuplicate: 'skip' })).toEqual(['inserted']);
      await dry.close();
      expect(await db.exists()).toBe(false);
    });

    it('keeps earlier batches when a later batch fails', async () => {
      const dry = await openStore({ dryRun: true });
      await dry.writeBatch(batch({ email: 'a@b.co', firstName: 'A' }), { importId: 'i', onDuplicate: 'skip' });
      await expect(
        dry.writeBatch(batch({ email: null as unknown as string, firstName: 'X' }), { importId: 'i', onDuplicate: 'skip' }),
      ).rejects.toMatchObject({ code: 'IO' });
      expect(await count(dry)).toBe(1);
      expect(await dry.writeBatch(batch({ email: 'b@b.co', firstName: 'B' }), { importId: 'i', onDuplicate: 'skip' })).toEqual(['inserted']);
      expect(await count(dry)).toBe(2);
    });
  });

  describe('contact_imports', () => {
    it('records a run from start to finish', async () => {
      const store = await openStore();
      const mapping = { 'E-mail': 'email', 'Given Name': 'firstName', 'Nom "court"': 'lastName' };
      await store.startImport({ importId: 'imp-9', fileId: 'file-9', fileName: 'contacts.csv', totalRows: 10, mapping });
      const [running] = await db.query('SELECT * FROM contact_imports WHERE id = ?', ['imp-9']);
      expect(running).toMatchObject({ file_id: 'file-9', file_name: 'contacts.csv', status: 'running', finished_at: null, total_rows: 10, imported: 0, mapping });
      expect(running!.started_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

      await store.finishImport('imp-9', 'completed', { totalRows: 10, imported: 6, updated: 1, skipped: 3, invalid: 1, duplicates: 1, excluded: 1 });
      const [done] = await db.query('SELECT * FROM contact_imports WHERE id = ?', ['imp-9']);
      expect(done).toMatchObject({ status: 'completed', total_rows: 10, imported: 6, updated: 1, skipped: 3, invalid: 1, duplicates: 1, excluded: 1 });
      expect(done!.finished_at >= done!.started_at).toBe(true);
    });

    it('refuses to finish a run that never started', async () => {
      const store = await openStore();
      const error = await rejectionOf(store.finishImport('ghost', 'failed', zeroCounts));
      expect(error.code).toBe('INTERNAL');
    });

    it('refuses to use a closed store', async () => {
      const store = await openStore();
      await store.close();
      await store.close(); // twice is fine
      await expect(store.writeBatch([], { importId: 'i', onDuplicate: 'skip' })).rejects.toBeInstanceOf(ImportError);
    });
  });
});
