import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { analyze, history, importContacts, saveMapping, upload, type Context, type ImportOptions } from '../../../src/index.js';
import { rejectionOf } from '../../helpers/import-error.js';
import { useScratchContext } from '../../helpers/scratch-context.js';

// Resuming through the library, with SQLite: a run cut off after some committed batches is
// finished by the same call, and ends exactly as one uninterrupted run would.

let dir: string;
let ctx: Context;

useScratchContext('ci-resume-', (scratch) => ({ dir, ctx } = scratch));

/** 60 rows: every 7th email invalid, every 11th a repeat of an earlier row, one row excluded. */
function contactsCsv(): string {
  const lines = ['Email,First Name,Company'];
  for (let i = 1; i <= 60; i++) {
    const email = i % 11 === 0 ? `person${i - 5}@example.com` : i % 7 === 0 ? `broken-${i}` : `person${i}@example.com`;
    lines.push(`${email},Name ${i},"=Co ${i}, Inc."`);
  }
  return `${lines.join('\n')}\n`;
}

async function prepared(text = contactsCsv()): Promise<string> {
  const file = path.join(dir, 'contacts.csv');
  fs.writeFileSync(file, text);
  const { fileId } = await upload(ctx, { path: file });
  const summary = await analyze(ctx, fileId);
  await saveMapping(ctx, fileId, summary.suggestedMapping);
  return fileId;
}

/** Some of the file's emails already in the database, so skip/update outcomes show up too. */
async function seeded(name: string): Promise<string> {
  const database = `sqlite:${path.join(dir, name)}`;
  const lines = ['Email,First Name,Company', ...[2, 4, 6, 8, 10, 30, 50].map((i) => `person${i}@example.com,Earlier ${i},Old Co`)];
  await importContacts(ctx, await prepared(`${lines.join('\n')}\n`), { database });
  return database;
}

function contents(db: string): unknown[] {
  const conn = new Database(db, { readonly: true });
  try {
    return conn.prepare('SELECT email, first_name, company FROM contacts ORDER BY email').all();
  } finally {
    conn.close();
  }
}

function csvRows(file: string): string[][] {
  return (parse(fs.readFileSync(file, 'utf8')) as string[][]).slice(1).sort((a, b) => a.join().localeCompare(b.join()));
}

/** Fails the import once `batches` batches have committed. */
function cutOffAfter(batches: number): ImportOptions['onProgress'] {
  let seen = 0;
  return (event) => {
    if (event.phase === 'import' && ++seen === batches) throw new Error('the power went out');
  };
}

describe('resuming an import', () => {
  it.each(['skip', 'update'] as const)('finishes a cut-off run as if it had run once (--on-duplicate %s)', async (onDuplicate) => {
    const common: ImportOptions = { onDuplicate, batchSize: 5, excludeRows: [3] };
    const reference = await seeded('reference.db');
    const resumed = await seeded('resumed.db');
    const once = await importContacts(ctx, await prepared(), {
      ...common,
      database: reference,
      errorsOut: path.join(dir, 'reference-rejected.csv'),
      importedOut: path.join(dir, 'reference-imported.csv'),
    });

    const fileId = await prepared();
    const failure = await rejectionOf(importContacts(ctx, fileId, { ...common, database: resumed, onProgress: cutOffAfter(3) }));
    expect(failure.message).toMatch(/power went out/);
    const [cut] = await history(ctx, { database: resumed });
    expect(cut).toMatchObject({ status: 'failed' });
    expect(cut!.rowsDone).toBeGreaterThan(0);
    expect(cut!.rowsDone).toBeLessThan(60);

    const finished = await importContacts(ctx, fileId, {
      ...common,
      database: resumed,
      errorsOut: path.join(dir, 'resumed-rejected.csv'),
      importedOut: path.join(dir, 'resumed-imported.csv'),
    });
    expect(finished.importId).toBe(cut!.importId);
    expect(finished.resumedFrom).toBe(cut!.rowsDone);
    const counts = ({ totalRows, imported, updated, skipped, invalid, duplicates, excluded }: typeof finished) => ({
      totalRows, imported, updated, skipped, invalid, duplicates, excluded,
    });
    expect(counts(finished)).toEqual(counts(once));
    expect(contents(resumed.slice('sqlite:'.length))).toEqual(contents(reference.slice('sqlite:'.length)));
    expect(csvRows(finished.errorReport!)).toEqual(csvRows(once.errorReport!));
    // Both databases got the same seed, so the new contacts' ids agree too.
    expect(csvRows(finished.importedReport!)).toEqual(csvRows(once.importedReport!));
    const [done] = await history(ctx, { database: resumed });
    expect(done).toMatchObject({ importId: cut!.importId, status: 'completed', rowsDone: 60, totalRows: 60 });
  });

  it('refuses to finish a cut-off run with other options, naming how to go on', async () => {
    const fileId = await prepared();
    const db = `sqlite:${path.join(dir, 'contacts.db')}`;
    await rejectionOf(importContacts(ctx, fileId, { database: db, batchSize: 5, onProgress: cutOffAfter(2) }));
    const refused = await rejectionOf(importContacts(ctx, fileId, { database: db, batchSize: 5, onDuplicate: 'update' }));
    expect(refused.code).toBe('USAGE');
    expect(refused.next).toMatchObject({ step: 'undo', importId: expect.stringMatching(/^import_/) });
  });
});
