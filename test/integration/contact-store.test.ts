// One behavioural suite for every contacts engine: SQLite in a temp file, PostgreSQL in a
// schema of its own per test. Both must give the same outcomes and store the same values.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ContactStore, ContactStoreOptions, ContactToWrite, ImportRunStart, WriteOutcome, WrittenRow } from '../../src/db/contact-store.js';
import { openContactStore } from '../../src/db/open-contact-store.js';
import { currentOwner } from '../../src/db/run-owner.js';
import { ImportError } from '../../src/errors.js';
import type { Contact } from '../../src/contacts/fields.js';
import { ENGINES, SQLITE, type TestDatabase, type TestEngine } from '../helpers/databases.js';
import { rejectionOf } from '../helpers/import-error.js';

const ann: Contact = { email: 'ann@example.com', firstName: 'Ann', lastName: 'Lee', phone: '+14155550100', company: 'Acme' };
const zeroCounts = { totalRows: 0, imported: 0, updated: 0, skipped: 0, invalid: 0, duplicates: 0, excluded: 0 };

/** A run of contacts.csv (file-1, key-1), with whatever a test changes. */
function start(overrides: Partial<ImportRunStart> = {}): ImportRunStart {
  return { importId: 'imp-1', fileId: 'file-1', fileName: 'contacts.csv', totalRows: 4, mapping: { Email: 'email' }, resumeKey: 'key-1', ...overrides };
}

/** `host:pid` of a process that has exited: a run it owned is dead. */
function deadOwner(): string {
  const child = spawnSync(process.execPath, ['-e', '']);
  return `${os.hostname()}:${child.pid}`;
}

function batch(...contacts: Contact[]): ContactToWrite[] {
  return contacts.map((contact, i) => ({ row: i + 1, contact }));
}

/** What writeBatch said happened to each row, without the ids. */
async function outcomesOf(written: Promise<WrittenRow[]>): Promise<WriteOutcome[]> {
  return (await written).map((row) => row.outcome);
}

/** Both stores count their own rows, uncommitted dry-run work included (SQLite synchronously). */
async function count(store: ContactStore): Promise<number> {
  return (store as unknown as { countContacts(): number | Promise<number> }).countContacts();
}


/** Every engine, and SQLite once more with every batch written on its writer thread. */
const VARIANTS: { label: string; engine: TestEngine; defaults: ContactStoreOptions }[] = [
  ...ENGINES.map((engine) => ({ label: engine.name, engine, defaults: {} })),
  { label: 'sqlite (writer thread)', engine: SQLITE, defaults: { writerThreadMinRows: 0 } },
];

describe.each(VARIANTS)('$label contact store', ({ engine, defaults }) => {
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
    const store = await openContactStore(db.url, { ...defaults, ...options });
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
        'table_name', 'file_sha256', 'resume_key', 'rows_done', 'owner', 'heartbeat_at', 'undone_at',
      ]);
      expect(await db.columns('contact_import_changes')).toEqual(['import_id', 'contact_id', 'before', 'after_updated_at']);
      const migrations = await db.query('SELECT table_name, version, applied_at FROM contact_import_migrations ORDER BY version');
      expect(migrations).toHaveLength(2);
      expect(migrations.map((m) => [m.table_name, m.version])).toEqual([
        ['contacts', 1],
        ['contacts', 2],
      ]);
      expect(migrations[1]!.applied_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
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
      expect(await db.query('SELECT table_name, version FROM contact_import_migrations ORDER BY table_name, version')).toEqual([
        { table_name: 'customers', version: 1 },
        { table_name: 'customers', version: 2 },
        { table_name: 'leads', version: 1 },
        { table_name: 'leads', version: 2 },
      ]);
      expect(await db.tables()).toEqual(['contact_import_changes', 'contact_import_migrations', 'contact_imports', 'customers', 'leads']);
    });

    it('refuses an unrelated table of the same name, creating nothing', async () => {
      await db.exec('CREATE TABLE contacts (id INTEGER PRIMARY KEY, email TEXT, name TEXT)');
      const error = await rejectionOf(openStore());
      expect(error.code).toBe('USAGE');
      expect(error.message).toMatch(/^table "(\w+\.)?contacts" exists but is not a contacts table \(missing columns: first_name, last_name/);
      expect(error.hint).toMatch(/^choose another table/);
      expect(error.options).toContain('table');
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
      expect(outcomes.map((w) => w.outcome)).toEqual(['existing', 'inserted']);
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
      expect(outcomes).toEqual([
        { outcome: 'inserted', id: 1 },
        { outcome: 'inserted', id: 2 },
      ]);
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
      expect(outcomes.map((w) => w.outcome)).toEqual(['existing', 'inserted']);
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
      expect(outcomes.map((w) => w.outcome)).toEqual(['updated', 'inserted']);
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
      expect(await outcomesOf(store.writeBatch(twice, { importId: 'i', onDuplicate: 'skip' }))).toEqual(['inserted', 'existing']);
      expect(await outcomesOf(store.writeBatch(twice, { importId: 'i', onDuplicate: 'update' }))).toEqual(['updated', 'updated']);
      const fresh = batch({ email: 'y@example.com', firstName: 'One' }, { email: 'z@example.com', firstName: 'Z' }, { email: 'y@example.com', firstName: 'Two', city: 'Rome' });
      expect(await outcomesOf(store.writeBatch(fresh, { importId: 'i', onDuplicate: 'update' }))).toEqual(['inserted', 'inserted', 'updated']);
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
      expect(outcomes.map((w) => w.outcome)).toEqual(new Array(1000).fill('inserted'));
      const stored = await rows();
      expect(stored.map((r) => r.email)).toEqual(contacts.map((c) => c.email));
      expect(stored[7]).toMatchObject({ id: 8, notes: 'n\t7' });
      const again = await store.writeBatch(batch(...contacts.slice(500), { email: 'new@example.com', firstName: 'N' }), { importId: 'big2', onDuplicate: 'update' });
      expect(again.map((w) => w.outcome)).toEqual([...new Array(500).fill('updated'), 'inserted']);
      expect(await count(store)).toBe(1001);
    });

    it('returns nothing for an empty batch', async () => {
      const store = await openStore();
      expect(await outcomesOf(store.writeBatch([], { importId: 'i', onDuplicate: 'skip' }))).toEqual([]);
    });

    it('writes a batch all or nothing, naming its rows', async () => {
      const store = await openStore();
      const bad = batch({ email: 'ok@example.com', firstName: 'Ok' }, { email: null as unknown as string, firstName: 'Broken' });
      const error = await rejectionOf(store.writeBatch(bad, { importId: 'i', onDuplicate: 'skip' }));
      expect(error.code).toBe('IO');
      expect(error.message).toMatch(/rows 1–2/);
      expect(await rows()).toHaveLength(0);
      // The store is still usable afterwards.
      expect(await outcomesOf(store.writeBatch(batch(ann), { importId: 'i', onDuplicate: 'skip' }))).toEqual(['inserted']);
    });
  });

  describe('dry run', () => {
    it('reports real outcomes but leaves the database unchanged after close', async () => {
      const real = await openStore();
      await real.writeBatch(batch({ email: 'old@example.com', firstName: 'Old' }), { importId: 'imp-0', onDuplicate: 'skip' });
      await real.close();
      const before = await rows();

      const dry = await openStore({ dryRun: true });
      expect((await dry.claimRun(start({ importId: 'imp-dry', totalRows: 3 }))).kind).toBe('new');
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
      expect(first.map((w) => w.outcome)).toEqual(['updated', 'inserted']);
      expect(second.map((w) => w.outcome)).toEqual(['existing']);
      expect(third.map((w) => w.outcome)).toEqual(['updated', 'updated']);
      expect(await count(dry)).toBe(2);
      await dry.finishImport('imp-dry', 'completed', { ...zeroCounts, totalRows: 3, imported: 1, updated: 1 });
      await dry.close();

      expect(await rows()).toEqual(before);
      expect(Number((await db.query('SELECT count(*) AS n FROM contact_imports'))[0]!.n)).toBe(0);
    });

    it('creates nothing when the database is still empty', async () => {
      const dry = await openStore({ dryRun: true });
      expect(await outcomesOf(dry.writeBatch(batch({ email: 'a@b.co', firstName: 'A' }), { importId: 'i', onDuplicate: 'skip' }))).toEqual(['inserted']);
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
      expect(await outcomesOf(dry.writeBatch(batch({ email: 'b@b.co', firstName: 'B' }), { importId: 'i', onDuplicate: 'skip' }))).toEqual(['inserted']);
      expect(await count(dry)).toBe(2);
    });
  });

  describe('contact_imports', () => {
    it('records a run from start to finish', async () => {
      const store = await openStore();
      const mapping = { 'E-mail': 'email', 'Given Name': 'firstName', 'Nom "court"': 'lastName' };
      await store.claimRun(start({ importId: 'imp-9', fileId: 'file-9', totalRows: 10, mapping }));
      const [running] = await db.query('SELECT * FROM contact_imports WHERE id = ?', ['imp-9']);
      expect(running).toMatchObject({ file_id: 'file-9', file_name: 'contacts.csv', status: 'running', finished_at: null, total_rows: 10, imported: 0, rows_done: 0, mapping, table_name: 'contacts', resume_key: 'key-1', owner: currentOwner() });
      expect(running!.started_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

      await store.finishImport('imp-9', 'completed', { totalRows: 10, imported: 6, updated: 1, skipped: 3, invalid: 1, duplicates: 1, excluded: 1 });
      const [done] = await db.query('SELECT * FROM contact_imports WHERE id = ?', ['imp-9']);
      expect(done).toMatchObject({ status: 'completed', total_rows: 10, rows_done: 10, imported: 6, updated: 1, skipped: 3, invalid: 1, duplicates: 1, excluded: 1 });
      expect(done!.heartbeat_at).toBe(done!.finished_at);
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

  describe('schema version 2', () => {
    it('upgrades a version 1 database, keeping its runs and contacts', async () => {
      await db.exec(v1Schema(engine.name));
      await db.exec(`INSERT INTO contact_import_migrations (table_name, version, applied_at) VALUES ('contacts', 1, '2025-01-01T00:00:00.000Z');
        INSERT INTO contact_imports (id, file_id, file_name, status, started_at, finished_at, total_rows, imported, updated, skipped, invalid, duplicates, excluded, mapping)
          VALUES ('old-1', 'file-old', 'old.csv', 'completed', '2025-01-01T00:00:00.000Z', '2025-01-01T00:01:00.000Z', 3, 2, 0, 1, 1, 0, 0, '{"Email":"email"}');
        INSERT INTO contact_imports (id, file_id, file_name, status, started_at) VALUES ('old-0', 'file-0', 'zero.csv', 'running', '2024-12-31T00:00:00.000Z');
        INSERT INTO contacts (email, first_name, import_id, created_at, updated_at)
          VALUES ('old@example.com', 'Old', 'old-1', '2025-01-01T00:00:30.000Z', '2025-01-01T00:00:30.000Z');`);
      const store = await openStore();
      expect(await db.query('SELECT version FROM contact_import_migrations ORDER BY version')).toEqual([{ version: 1 }, { version: 2 }]);
      expect(await db.columns('contact_imports')).toContain('rows_done');
      const [old, zero] = await store.listImports();
      expect(old).toEqual({
        importId: 'old-1', fileId: 'file-old', fileName: 'old.csv', fileSha256: null, table: null, status: 'completed',
        startedAt: '2025-01-01T00:00:00.000Z', finishedAt: '2025-01-01T00:01:00.000Z', totalRows: 3, rowsDone: 3,
        imported: 2, updated: 0, skipped: 1, invalid: 1, duplicates: 0, excluded: 0, mapping: { Email: 'email' },
        resumeKey: null, owner: null, heartbeatAt: null, undoneAt: null,
      });
      expect(zero).toMatchObject({ importId: 'old-0', status: 'running', totalRows: 0, rowsDone: 0, mapping: {}, owner: null });
      // A version 1 run is not resumed (it has no table or key), and can still be undone.
      expect((await store.claimRun(start({ importId: 'new-1', fileId: 'file-old' }))).kind).toBe('new');
      expect(await store.undoImport('old-1')).toEqual({ importId: 'old-1', table: 'contacts', deleted: 1, restored: 0, conflicts: 0 });
      expect(await rows()).toEqual([]);
    });
  });

  describe('claimRun', () => {
    it('records a new run as running, owned by this process', async () => {
      const store = await openStore();
      const before = new Date().toISOString();
      const claim = await store.claimRun(start({ fileSha256: 'abc' }));
      expect(claim.kind).toBe('new');
      expect(claim.run).toMatchObject({
        importId: 'imp-1', fileId: 'file-1', fileName: 'contacts.csv', fileSha256: 'abc', table: 'contacts', status: 'running',
        finishedAt: null, totalRows: 4, rowsDone: 0, imported: 0, mapping: { Email: 'email' }, resumeKey: 'key-1',
        owner: currentOwner(), undoneAt: null,
      });
      expect(claim.run.startedAt >= before).toBe(true);
      expect(claim.run.heartbeatAt).toBe(claim.run.startedAt);
      expect(await store.getImport('imp-1')).toEqual(claim.run);
    });

    it('refuses a second live import of the same file into the same table, by fileId or by bytes', async () => {
      const first = await openStore();
      await first.claimRun(start({ fileSha256: 'abc' }));
      const second = await openStore();
      // The same on both engines: a live holder is refused at once, not waited for.
      const asked = Date.now();
      const error = await rejectionOf(second.claimRun(start({ importId: 'imp-2' })));
      expect(Date.now() - asked).toBeLessThan(1000);
      expect(error.code).toBe('LOCKED');
      expect(error.message).toMatch(/^another import of contacts\.csv into contacts is running \(imp-1, started \d{4}-.*Z, process .+:\d+\)$/);
      expect(error.hint).toBe('wait for it to finish; if it was stopped, run the import again to resume it');
      const again = Date.now();
      const bytes = await rejectionOf(second.claimRun(start({ importId: 'imp-3', fileId: 'file-2', fileSha256: 'abc' })));
      expect(Date.now() - again).toBeLessThan(1000);
      expect(bytes.code).toBe('LOCKED');
      // Another file, or the same file into another table, is no conflict.
      expect((await second.claimRun(start({ importId: 'imp-4', fileId: 'file-3', fileSha256: 'def' }))).kind).toBe('new');
      const leads = await openStore({ table: 'leads' });
      expect((await leads.claimRun(start({ importId: 'imp-5', fileSha256: 'abc' }))).kind).toBe('new');
    });

    it('waits a moment for the lock of a run whose process died, then resumes it', async () => {
      // A killed client's database session may outlive it until the server notices: here it
      // still holds the run (PostgreSQL: its lock) for half a second after its owner is gone.
      const first = await openStore();
      await first.claimRun(start());
      await db.exec(`UPDATE contact_imports SET owner = '${deadOwner()}'`);
      const second = await openStore();
      const asked = Date.now();
      const going = setTimeout(() => void first.close(), 500);
      try {
        expect(await second.claimRun(start({ importId: 'imp-2' }))).toMatchObject({ kind: 'resume', run: { importId: 'imp-1', owner: currentOwner() } });
      } finally {
        clearTimeout(going);
      }
      expect(Date.now() - asked).toBeLessThan(5000);
    });

    it('resumes the run of a process that died, from its checkpoint', async () => {
      const first = await openStore();
      await first.claimRun(start());
      await first.writeBatch(batch(ann), { importId: 'imp-1', onDuplicate: 'skip', checkpoint: () => ({ ...zeroCounts, totalRows: 2, imported: 1, invalid: 1, skipped: 1 }) });
      await first.close(); // kill -9: no finishImport, the row stays 'running'
      await db.exec(`UPDATE contact_imports SET owner = '${deadOwner()}'`);
      const second = await openStore();
      const claim = await second.claimRun(start({ importId: 'imp-2', fileName: 'again.csv', fileSha256: 'abc' }));
      expect(claim.kind).toBe('resume');
      expect(claim.run).toMatchObject({ importId: 'imp-1', status: 'running', rowsDone: 2, imported: 1, invalid: 1, skipped: 1, fileName: 'again.csv', fileSha256: 'abc', owner: currentOwner(), finishedAt: null });
      await second.finishImport('imp-1', 'interrupted', { ...zeroCounts, totalRows: 2, imported: 1, invalid: 1, skipped: 1 });
      await second.close();
      // Known by its bytes now, it is found again from another upload of them.
      const third = await openStore();
      expect(await third.claimRun(start({ importId: 'imp-3', fileId: 'file-1b', fileSha256: 'abc' }))).toMatchObject({ kind: 'resume', run: { importId: 'imp-1', fileId: 'file-1b' } });
      expect(await db.query('SELECT count(*) AS n FROM contact_imports')).toEqual([{ n: engine.name === 'postgres' ? '1' : 1 }]);
    });

    it('resumes an interrupted or failed run with the same options, and refuses other options', async () => {
      const store = await openStore();
      await store.claimRun(start());
      await store.finishImport('imp-1', 'interrupted', { ...zeroCounts, totalRows: 2, imported: 2 });
      const mismatch = await rejectionOf(store.claimRun(start({ importId: 'imp-2', resumeKey: 'key-2' })));
      expect(mismatch.code).toBe('USAGE');
      expect(mismatch.message).toBe('import imp-1 of contacts.csv stopped after 2 of 4 rows with other options');
      expect(mismatch.hint).toBe('run it again with the same mapping, onDuplicate, excludeRows and defaultCountry to finish it, or undo it first');
      expect(mismatch.options).toEqual(['onDuplicate', 'excludeRows', 'defaultCountry']);
      expect(mismatch.next).toEqual({ step: 'undo', importId: 'imp-1' });
      const resumed = await store.claimRun(start({ importId: 'imp-2' }));
      expect(resumed).toMatchObject({ kind: 'resume', run: { importId: 'imp-1', status: 'running', rowsDone: 2, totalRows: 4, finishedAt: null } });
      await store.finishImport('imp-1', 'failed', { ...zeroCounts, totalRows: 3, imported: 3 });
      expect((await store.claimRun(start({ importId: 'imp-3' }))).run).toMatchObject({ importId: 'imp-1', rowsDone: 3 });
    });

    it('says when this file was already imported, and starts afresh for another upload or after undo', async () => {
      const store = await openStore();
      await store.claimRun(start({ fileSha256: 'abc' }));
      await store.finishImport('imp-1', 'completed', { ...zeroCounts, totalRows: 4, imported: 4 });
      const done = await store.claimRun(start({ importId: 'imp-2', resumeKey: 'other' }));
      expect(done).toMatchObject({ kind: 'completed', run: { importId: 'imp-1', status: 'completed' } });
      // `run` uploads the same bytes again under a new fileId: that is a new import.
      const again = await store.claimRun(start({ importId: 'imp-3', fileId: 'file-2', fileSha256: 'abc' }));
      expect(again).toMatchObject({ kind: 'new', run: { importId: 'imp-3' } });
      await store.finishImport('imp-3', 'interrupted', zeroCounts);
      await store.undoImport('imp-3');
      expect((await store.claimRun(start({ importId: 'imp-4', fileId: 'file-2', fileSha256: 'abc', resumeKey: 'other' }))).kind).toBe('new');
    });

    it('records nothing in a dry run', async () => {
      await (await openStore()).close();
      const dry = await openStore({ dryRun: true });
      expect((await dry.claimRun(start())).kind).toBe('new');
      expect(await dry.getImport('imp-1')).toMatchObject({ status: 'running' });
      await dry.close();
      expect(await db.query('SELECT id FROM contact_imports')).toEqual([]);
    });
  });

  describe('checkpoints', () => {
    it('commits the counts with the batch they cover', async () => {
      const store = await openStore();
      const claim = await store.claimRun(start());
      const seen: WrittenRow[][] = [];
      const written = await store.writeBatch(batch(ann, { email: 'bob@example.com', firstName: 'Bob' }), {
        importId: 'imp-1',
        onDuplicate: 'skip',
        checkpoint: (rows) => {
          seen.push(rows);
          return { ...zeroCounts, totalRows: 3, imported: 2, invalid: 1, skipped: 1 };
        },
      });
      expect(seen).toEqual([written]);
      const run = await store.getImport('imp-1');
      expect(run).toMatchObject({ status: 'running', rowsDone: 3, totalRows: 4, imported: 2, invalid: 1, skipped: 1 });
      expect(run!.heartbeatAt! >= claim.run.heartbeatAt!).toBe(true);
      expect((await rows())[0]!.created_at).toBe(run!.heartbeatAt);
    });

    it('commits neither contacts nor checkpoint when the batch fails', async () => {
      const store = await openStore();
      await store.claimRun(start());
      let called = 0;
      const checkpoint = () => {
        called++;
        return { ...zeroCounts, totalRows: 2, imported: 2 };
      };
      const bad = batch(ann, { email: null as unknown as string, firstName: 'Broken' });
      expect((await rejectionOf(store.writeBatch(bad, { importId: 'imp-1', onDuplicate: 'skip', checkpoint }))).code).toBe('IO');
      expect(called).toBe(0);
      const failing = () => {
        throw new Error('counting went wrong');
      };
      await expect(store.writeBatch(batch(ann), { importId: 'imp-1', onDuplicate: 'update', checkpoint: failing })).rejects.toThrow();
      expect(await rows()).toEqual([]);
      expect(await store.getImport('imp-1')).toMatchObject({ rowsDone: 0, imported: 0 });
      expect(await db.query('SELECT import_id FROM contact_import_changes')).toEqual([]);
    });

    it('refuses a checkpoint for a run that is not running, writing nothing', async () => {
      const store = await openStore();
      await store.claimRun(start());
      await store.finishImport('imp-1', 'completed', zeroCounts);
      const error = await rejectionOf(store.writeBatch(batch(ann), { importId: 'imp-1', onDuplicate: 'skip', checkpoint: () => zeroCounts }));
      expect(error.code).toBe('INTERNAL');
      expect(await rows()).toEqual([]);
    });
  });

  describe('before-images and undo', () => {
    const bob: Contact = { email: 'bob@example.com', firstName: 'Bob', city: 'Rome' };

    /** Import A creates ann and bob; import B (update) changes ann and creates carol. */
    async function twoImports(store: ContactStore): Promise<void> {
      await store.claimRun(start({ importId: 'A', fileId: 'fa' }));
      await store.writeBatch(batch(ann, bob), { importId: 'A', onDuplicate: 'skip' });
      await store.finishImport('A', 'completed', { ...zeroCounts, totalRows: 2, imported: 2 });
      await new Promise((resolve) => setTimeout(resolve, 5));
      await store.claimRun(start({ importId: 'B', fileId: 'fb' }));
      const written = await store.writeBatch(
        batch({ email: 'ann@example.com', firstName: 'Annie', company: '', city: 'Oslo', notes: 'n' }, { email: 'carol@example.com', firstName: 'Carol' }),
        { importId: 'B', onDuplicate: 'update' },
      );
      // PostgreSQL spends an identity value on every row of an upsert, so carol's id may skip one.
      const ids = await db.query("SELECT id FROM contacts WHERE email IN ('ann@example.com', 'carol@example.com') ORDER BY id");
      expect(written).toEqual([
        { outcome: 'updated', id: 1 },
        { outcome: 'inserted', id: ids[1]!.id },
      ]);
      await store.finishImport('B', 'completed', { ...zeroCounts, totalRows: 2, imported: 1, updated: 1 });
    }

    it('keeps the first before-image of each contact an import updated', async () => {
      const store = await openStore();
      await twoImports(store);
      const [original] = await db.query("SELECT * FROM contacts WHERE email = 'ann@example.com'");
      await store.writeBatch(batch({ email: 'ann@example.com', firstName: 'Again' }), { importId: 'B', onDuplicate: 'update' });
      const [latest] = await db.query("SELECT * FROM contacts WHERE email = 'ann@example.com'");
      const changes = await db.query('SELECT * FROM contact_import_changes');
      expect(changes).toHaveLength(1);
      const change = changes[0]!;
      const before = typeof change.before === 'string' ? JSON.parse(change.before) : change.before;
      expect(change).toMatchObject({ import_id: 'B', contact_id: engine.name === 'postgres' ? '1' : 1, after_updated_at: latest!.updated_at });
      expect({ ...before, updated_at: undefined }).toEqual({
        first_name: 'Ann', last_name: 'Lee', phone: '+14155550100', company: 'Acme', title: null, address: null, city: null,
        state: null, country: null, zip_code: null, notes: null, updated_at: undefined,
      });
      expect(Date.parse(before.updated_at)).toBeLessThan(Date.parse(original!.updated_at));
    });

    it('deletes what an import created and restores what it updated, exactly', async () => {
      const store = await openStore();
      await store.claimRun(start({ importId: 'A', fileId: 'fa' }));
      await store.writeBatch(batch(ann, bob), { importId: 'A', onDuplicate: 'skip' });
      await store.finishImport('A', 'completed', { ...zeroCounts, totalRows: 2, imported: 2 });
      const afterA = await rows();
      await new Promise((resolve) => setTimeout(resolve, 5));
      await store.claimRun(start({ importId: 'B', fileId: 'fb' }));
      await store.writeBatch(batch({ email: 'ann@example.com', firstName: 'Annie', city: 'Oslo' }, { email: 'carol@example.com', firstName: 'Carol' }), {
        importId: 'B',
        onDuplicate: 'update',
      });
      await store.finishImport('B', 'interrupted', { ...zeroCounts, totalRows: 2, imported: 1, updated: 1 });
      expect(await store.undoImport('B')).toEqual({ importId: 'B', table: 'contacts', deleted: 1, restored: 1, conflicts: 0 });
      expect(await rows()).toEqual(afterA);
      const run = await store.getImport('B');
      expect(run).toMatchObject({ status: 'undone' });
      expect(run!.undoneAt).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect(await db.query('SELECT * FROM contact_import_changes')).toEqual([]);
      expect(await store.undoImport('A')).toEqual({ importId: 'A', table: 'contacts', deleted: 2, restored: 0, conflicts: 0 });
      expect(await rows()).toEqual([]);
    });

    it('refuses to undo over later changes unless forced', async () => {
      const store = await openStore();
      await twoImports(store);
      // A created ann and B changed her since: undoing A would discard B's work.
      const later = await rejectionOf(store.undoImport('A'));
      expect(later.code).toBe('CONFLICT');
      expect(later.message).toBe('cannot undo import A: 1 contact it wrote was changed after it');
      expect(later.hint).toBe('use force to undo anyway, or undo the later imports first');
      expect(later).toMatchObject({ options: ['force'], next: { step: 'history' } });
      // Someone edits ann and carol by hand after B.
      await db.exec("UPDATE contacts SET city = 'Paris', updated_at = '2030-01-01T00:00:00.000Z' WHERE email IN ('ann@example.com', 'carol@example.com')");
      const edited = await rejectionOf(store.undoImport('B'));
      expect(edited.code).toBe('CONFLICT');
      expect(edited.message).toMatch(/2 contacts it wrote were changed after it$/);
      expect(await store.getImport('B')).toMatchObject({ status: 'completed' });
      expect(await store.undoImport('B', { force: true })).toEqual({ importId: 'B', table: 'contacts', deleted: 1, restored: 1, conflicts: 2 });
      expect((await rows()).map((r) => [r.email, r.first_name, r.company, r.city, r.notes])).toEqual([
        ['ann@example.com', 'Ann', 'Acme', null, null],
        ['bob@example.com', 'Bob', null, 'Rome', null],
      ]);
      // With B undone, A's contacts are as A left them again.
      expect(await store.undoImport('A')).toMatchObject({ deleted: 2, conflicts: 0 });
    });

    it('says what is wrong with an unknown, undone or running import', async () => {
      const store = await openStore();
      const unknown = await rejectionOf(store.undoImport('nope'));
      expect(unknown.code).toBe('NOT_FOUND');
      expect(unknown.message).toMatch(/^no import nope in /);
      expect(unknown.hint).toBe('list the imports');
      expect(unknown.next).toEqual({ step: 'history' });
      await twoImports(store);
      await store.undoImport('B');
      const twice = await rejectionOf(store.undoImport('B'));
      expect(twice.code).toBe('USAGE');
      expect(twice.message).toMatch(/^import B was already undone \(\d{4}-/);

      const running = await openStore();
      await running.claimRun(start({ importId: 'C', fileId: 'fc' }));
      await running.writeBatch(batch({ email: 'dan@example.com', firstName: 'Dan' }), { importId: 'C', onDuplicate: 'skip' });
      const asked = Date.now();
      const locked = await rejectionOf(store.undoImport('C'));
      expect(Date.now() - asked).toBeLessThan(1000);
      expect(locked.code).toBe('LOCKED');
      expect(locked.message).toMatch(/^import C is running by process .+:\d+, last checkpoint \d{4}-/);
      // Once its process is gone, the unfinished run can be undone.
      await running.close();
      await db.exec(`UPDATE contact_imports SET owner = '${deadOwner()}' WHERE id = 'C'`);
      expect(await store.undoImport('C')).toMatchObject({ deleted: 1 });
    });

    it('undoes a run in its own table, whichever table the store was opened on', async () => {
      const leads = await openStore({ table: 'leads' });
      await leads.claimRun(start({ importId: 'L' }));
      await leads.writeBatch(batch(ann), { importId: 'L', onDuplicate: 'skip' });
      await leads.finishImport('L', 'completed', { ...zeroCounts, totalRows: 1, imported: 1 });
      const contacts = await openStore();
      await contacts.writeBatch(batch(ann), { importId: 'L', onDuplicate: 'skip' });
      expect(await contacts.undoImport('L')).toEqual({ importId: 'L', table: 'leads', deleted: 1, restored: 0, conflicts: 0 });
      expect(await rows('leads')).toEqual([]);
      expect(await rows('contacts')).toHaveLength(1);
    });
  });

  describe('history and lookups', () => {
    it('lists runs newest first, with a limit', async () => {
      const store = await openStore();
      for (const id of ['r1', 'r2', 'r3']) {
        await store.claimRun(start({ importId: id, fileId: `f-${id}` }));
        await new Promise((resolve) => setTimeout(resolve, 3));
      }
      await store.finishImport('r1', 'completed', { ...zeroCounts, totalRows: 4, imported: 4 });
      expect((await store.listImports()).map((run) => run.importId)).toEqual(['r3', 'r2', 'r1']);
      expect((await store.listImports({ limit: 2 })).map((run) => run.importId)).toEqual(['r3', 'r2']);
      expect((await store.listImports())[2]).toMatchObject({ status: 'completed', rowsDone: 4, imported: 4, table: 'contacts' });
      expect(await store.getImport('nope')).toBeNull();
    });

    it('finds contacts by email, with the import that created them', async () => {
      const store = await openStore();
      const contacts = Array.from({ length: 6000 }, (_, i) => ({ email: `p${i}@example.com`, firstName: `P${i}` }));
      await store.writeBatch(batch(...contacts.slice(0, 3000)), { importId: 'one', onDuplicate: 'skip' });
      await store.writeBatch(batch(...contacts.slice(3000)), { importId: 'two', onDuplicate: 'skip' });
      const found = await store.findContacts([...contacts.map((c) => c.email), 'nobody@example.com']);
      expect(found.size).toBe(6000);
      expect(found.get('p0@example.com')).toEqual({ id: 1, importId: 'one' });
      expect(found.get('p5999@example.com')).toEqual({ id: 6000, importId: 'two' });
      expect(found.has('nobody@example.com')).toBe(false);
      expect((await store.findContacts([])).size).toBe(0);
    });
  });

  describe('concurrent imports', () => {
    it('two stores writing the same emails in opposite orders at once both finish, each email written once', async () => {
      const a = await openStore();
      const b = await openStore();
      for (const [round, onDuplicate] of [[0, 'skip'], [1, 'update'], [2, 'skip']] as const) {
        const contacts = Array.from({ length: 400 }, (_, i) => ({ email: `r${round}-${i}@example.com`, firstName: `N${i}` }));
        const [left, right] = await Promise.all([
          a.writeBatch(batch(...contacts), { importId: `a${round}`, onDuplicate }),
          b.writeBatch(batch(...[...contacts].reverse()), { importId: `b${round}`, onDuplicate }),
        ]);
        const inserted = [...left, ...right].filter((row) => row.outcome === 'inserted').length;
        expect(inserted).toBe(400);
      }
      expect(await count(a)).toBe(1200);
    });

    it.runIf(engine.name === 'sqlite')('waits for another process holding the write lock instead of failing with SQLITE_BUSY', async () => {
      const store = await openStore();
      const other = await openStore();
      const file = db.url.slice('sqlite:'.length);
      // Another process takes the write lock again and again, holding it 20 ms each time.
      const script = `const Database = require('better-sqlite3');
        const db = new Database(${JSON.stringify(file)}); db.pragma('busy_timeout = 30000');
        const insert = db.prepare("INSERT INTO contacts (email, first_name, created_at, updated_at) VALUES (?, 'C', 'x', 'x')");
        process.stdout.write('ready\\n');
        for (let i = 0; i < 40; i++) {
          db.exec('BEGIN IMMEDIATE'); insert.run('child' + i + '@example.com');
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20); db.exec('COMMIT');
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2);
        }`;
      const child = spawn(process.execPath, ['-e', script], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] });
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
      await new Promise((resolve) => child.stdout.once('data', resolve));
      for (let i = 0; i < 30; i++) {
        const contacts = Array.from({ length: 20 }, (_, j) => ({ email: `s${i}-${j}@example.com`, firstName: 'S' }));
        await (i % 2 === 0 ? store : other).writeBatch(batch(...contacts), { importId: 'x', onDuplicate: 'skip' });
      }
      expect(await exited).toBe(0);
      expect(await count(store)).toBe(640);
    });

    it.runIf(engine.name === 'postgres')('lets a killed client\'s run be resumed once its connection is gone', async () => {
      const first = await openStore();
      await first.claimRun(start());
      await first.close();
      const second = await openStore();
      expect((await second.claimRun(start({ importId: 'imp-2' }))).kind).toBe('resume');
    });
  });
});

/** The schema version 1 created, spelled out as it was released. */
function v1Schema(engine: 'sqlite' | 'postgres'): string {
  const time = engine === 'sqlite' ? 'TEXT' : 'TIMESTAMPTZ';
  const id = engine === 'sqlite' ? 'id INTEGER PRIMARY KEY AUTOINCREMENT' : 'id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY';
  return `CREATE TABLE contact_import_migrations (table_name TEXT NOT NULL, version INTEGER NOT NULL, applied_at ${time} NOT NULL, PRIMARY KEY (table_name, version));
CREATE TABLE contacts (${id}, email TEXT NOT NULL UNIQUE, first_name TEXT NOT NULL, last_name TEXT, phone TEXT, company TEXT,
  title TEXT, address TEXT, city TEXT, state TEXT, country TEXT, zip_code TEXT, notes TEXT, import_id TEXT,
  created_at ${time} NOT NULL, updated_at ${time} NOT NULL);
CREATE INDEX contacts_import_id_idx ON contacts (import_id);
CREATE TABLE contact_imports (id TEXT PRIMARY KEY, file_id TEXT, file_name TEXT, status TEXT NOT NULL, started_at ${time} NOT NULL,
  finished_at ${time}, total_rows INTEGER, imported INTEGER, updated INTEGER, skipped INTEGER, invalid INTEGER,
  duplicates INTEGER, excluded INTEGER, mapping ${engine === 'sqlite' ? 'TEXT' : 'JSONB'});`;
}
