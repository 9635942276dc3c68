// The writer thread itself; that a store writing every batch on it behaves exactly like one
// writing inline is the 'sqlite (writer thread)' run of test/integration/contact-store.test.ts.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Contact } from '../../../../src/contacts/fields.js';
import type { ContactToWrite } from '../../../../src/db/contact-store.js';
import { SqliteEngine } from '../../../../src/db/sqlite/sqlite-engine.js';
import { SqliteWriterThread } from '../../../../src/db/sqlite/sqlite-writer-thread.js';

let dir: string;
const open: { close(): Promise<void> }[] = [];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ci-writer-'));
});

afterEach(async () => {
  for (const opened of open.splice(0)) await opened.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function engineAt(name: string, writerThreadMinRows: number, options: { dryRun?: boolean } = {}): Promise<SqliteEngine> {
  const engine = SqliteEngine.open(name === ':memory:' ? name : path.join(dir, name), { ...options, writerThreadMinRows });
  open.push(engine);
  await engine.ensureSchema();
  return engine;
}

function batchOf(contacts: Contact[]): ContactToWrite[] {
  return contacts.map((contact, i) => ({ row: i + 2, contact }));
}

/** 300 contacts, every tenth email repeated, some fields missing. */
function contacts(round: number): Contact[] {
  return Array.from({ length: 300 }, (_, i) => ({
    email: `p${i % 10 === 9 ? i - 1 : i}@example.com`,
    firstName: `R${round}-${i}`,
    ...(i % 3 === 0 ? {} : { phone: `+1415555${String(i).padStart(4, '0')}`, company: 'Acme' }),
  }));
}

function table(file: string): unknown[] {
  const db = new Database(path.join(dir, file), { readonly: true });
  try {
    return db.prepare('SELECT id, email, first_name, phone, company, import_id FROM contacts ORDER BY id').all();
  } finally {
    db.close();
  }
}

describe('SQLite writer thread', () => {
  it('writes the same rows with the same outcomes and ids as the calling thread', async () => {
    const inline = await engineAt('inline.db', Number.POSITIVE_INFINITY);
    const threaded = await engineAt('threaded.db', 0);
    for (const [round, onDuplicate] of [[1, 'skip'], [2, 'update'], [3, 'skip']] as const) {
      const options = { importId: `imp-${round}`, onDuplicate };
      const expected = await inline.writeBatch(batchOf(contacts(round)), options);
      expect(await threaded.writeBatch(batchOf(contacts(round)), options)).toEqual(expected);
    }
    expect(table('threaded.db')).toEqual(table('inline.db'));
    expect(table('threaded.db')).toHaveLength(270);
  });

  it('queues a write outside a batch behind the batch, instead of blocking the thread that must commit it', async () => {
    const engine = await engineAt('c.db', 0);
    const options = { importId: 'imp-1', onDuplicate: 'skip' as const };
    await engine.writeBatch(batchOf([{ email: 'first@example.com', firstName: 'F' }]), options);
    const [written, changed] = await Promise.all([
      engine.writeBatch(batchOf(contacts(1)), options),
      engine.run("UPDATE contacts SET company = 'Later' WHERE email = ?", ['p0@example.com']),
    ]);
    expect(written.filter((row) => row.outcome === 'inserted')).toHaveLength(270);
    // It ran after the batch had committed, so it found the batch's row.
    expect(changed).toBe(1);
  });

  it('keeps a dry run and an in-memory database on the calling thread', async () => {
    // A second connection could not see either: these batches would fail or wait 30 s.
    for (const engine of [await engineAt(':memory:', 0), await engineAt('dry.db', 0, { dryRun: true })]) {
      const written = await engine.writeBatch(batchOf(contacts(1)), { importId: 'imp-1', onDuplicate: 'skip' });
      expect(written.filter((row) => row.outcome === 'inserted')).toHaveLength(270);
      expect(await engine.countContacts()).toBe(270);
    }
  });

  it('fails every request with why once its connection cannot open', async () => {
    const thread = new SqliteWriterThread({ file: path.join(dir, 'missing.db'), table: 'contacts' });
    open.push(thread);
    await expect(thread.run('SELECT 1', [])).rejects.toThrow(/unable to open database file/);
    await expect(thread.commit()).rejects.toThrow(/unable to open database file/);
  });

  it('refuses requests after close, and lets the process exit', async () => {
    const engine = await engineAt('c.db', 0);
    await engine.writeBatch(batchOf(contacts(1)), { importId: 'imp-1', onDuplicate: 'skip' });
    const thread = new SqliteWriterThread({ file: path.join(dir, 'c.db'), table: 'contacts' });
    await thread.close();
    await expect(thread.commit()).rejects.toThrow(/^the SQLite writer thread was closed$/);

    // A process whose engine wrote on the thread ends on its own once the engine is closed.
    const script = `import(${JSON.stringify(path.resolve('dist/db/sqlite/sqlite-engine.js'))}).then(async ({ SqliteEngine }) => {
      const engine = SqliteEngine.open(${JSON.stringify(path.join(dir, 'exit.db'))}, { writerThreadMinRows: 0 });
      await engine.ensureSchema();
      const written = await engine.writeBatch([{ row: 2, contact: { email: 'a@example.com', firstName: 'A' } }], { importId: 'i', onDuplicate: 'skip' });
      await engine.close();
      console.log(written[0].outcome);
    });`;
    const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 20_000 });
    expect(child.signal).toBeNull();
    expect(child.stdout.trim()).toBe('inserted');
    expect(child.status).toBe(0);
  });
});
