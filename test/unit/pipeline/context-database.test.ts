// Where a Context sends contacts: a URL, an instance the caller keeps, or a factory; opened
// only by the steps that need it.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteEngine } from '../../../src/db/sqlite/sqlite-engine.js';
import { analyze, history, importContacts, openContext, saveMapping, undoImport, upload, type Context, type ContextOptions } from '../../../src/index.js';
import { rejectionOf } from '../../helpers/import-error.js';

const FIXTURE = path.resolve(__dirname, '../../../fixtures/contacts.csv');
let dir: string;
const contexts: Context[] = [];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ci-ctx-db-'));
});
afterEach(async () => {
  for (const ctx of contexts.splice(0)) await ctx.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function context(options: ContextOptions): Context {
  const ctx = openContext({ home: path.join(dir, 'home'), env: {}, ...options });
  contexts.push(ctx);
  return ctx;
}

async function mapped(ctx: Context): Promise<string> {
  const { fileId } = await upload(ctx, { path: FIXTURE });
  const summary = await analyze(ctx, fileId);
  await saveMapping(ctx, fileId, summary.suggestedMapping);
  return fileId;
}

describe('the Context database', () => {
  it('opens nothing before a step needs it, and history creates no SQLite file', async () => {
    const file = path.join(dir, 'later.db');
    const ctx = context({ database: `sqlite:${file}` });
    expect(ctx.contacts.describe()).toBe(file);
    expect(await history(ctx)).toEqual([]);
    const missing = await rejectionOf(undoImport(ctx, 'import_x'));
    expect(missing).toMatchObject({ code: 'NOT_FOUND', message: `no import import_x in ${file}`, options: ['database'], next: { step: 'history' } });
    expect(fs.existsSync(file)).toBe(false);
    await importContacts(ctx, await mapped(ctx));
    expect(fs.existsSync(file)).toBe(true);
  });

  it('borrows a better-sqlite3 Database for every step and leaves it open', async () => {
    const db = new Database(':memory:');
    const ctx = context({ database: db });
    const result = await importContacts(ctx, await mapped(ctx), { table: 'people' });
    expect(result.imported).toBe(8);
    expect(await history(ctx, { table: 'people' })).toMatchObject([{ importId: result.importId, table: 'people', status: 'completed' }]);
    await ctx.close();
    expect(db.prepare('SELECT count(*) AS n FROM people').get()).toEqual({ n: 8 });
    db.close();
  });

  it('calls a factory per step with the step options, and a per-call database still wins', async () => {
    const file = path.join(dir, 'made.db');
    const asked: unknown[] = [];
    const ctx = context({
      database: (options) => {
        asked.push(options);
        return SqliteEngine.open(file, options);
      },
    });
    const fileId = await mapped(ctx);
    await importContacts(ctx, fileId, { dryRun: true });
    expect(asked).toEqual([{ table: 'contacts', schema: undefined, dryRun: true, connectTimeoutMs: 5000, statementTimeoutMs: 60_000, lockTimeoutMs: 30_000 }]);
    const other = path.join(dir, 'other.db');
    const result = await importContacts(ctx, fileId, { database: `sqlite:${other}` });
    expect(asked).toHaveLength(1);
    expect(await history(ctx, { database: `sqlite:${other}` })).toMatchObject([{ importId: result.importId }]);
    expect(await history(ctx)).toEqual([]);
  });
});
