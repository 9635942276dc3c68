// The tool's own tables (contact_imports, contact_import_changes, contact_import_migrations…)
// can never be named as the contacts table: on every engine and command the name is refused
// before anything is uploaded or created (exit 2, one line), and the database stays usable.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURES, runCli, scratchDir } from '../helpers/cli.js';
import { ENGINES, SQLITE, type TestDatabase, type TestEngine } from '../helpers/databases.js';

const scratch = scratchDir('ci-reserved-');
const cwd = scratch.dir;
const csv = path.join(FIXTURES, 'contacts.csv');
const databases: TestDatabase[] = [];
const noRedis = { REDIS_URL: undefined };
let n = 0;
afterAll(async () => {
  for (const db of databases) await db.drop().catch(() => undefined);
  scratch.cleanup();
});

const cli = (args: string[]) => runCli(args, { cwd, env: noRedis });

function fresh(engine: TestEngine): { db: TestDatabase; home: string } {
  const db = engine.create(cwd, `db-${++n}`);
  databases.push(db);
  return { db, home: path.join(cwd, `home-${n}`) };
}

function expectRefused(result: Awaited<ReturnType<typeof cli>>, table: string): void {
  expect(result.code, result.stderr).toBe(2);
  expect(result.stderr.trim().split('\n')).toEqual([
    `error: table name "${table}" is reserved for contact-import's own records — give --table a name that does not start with contact_import, e.g. contacts`,
  ]);
  expect(result.json()).toMatchObject({ success: false, error: { code: 'USAGE' } });
}

describe.each(ENGINES)('reserved table names ($name)', (engine) => {
  it.each(['contact_import_changes', 'contact_imports', 'Contact_Import_Migrations'])('refuses import --table %s before touching the database', async (table) => {
    const { db, home } = fresh(engine);
    const analyzed = await cli(['analyze', csv, '--json', '--home', home]);
    const fileId = analyzed.json().fileId;
    expect((await cli(['map', '--file-id', fileId, '--auto', '--home', home])).code).toBe(0);
    expectRefused(await cli(['import', '--file-id', fileId, '--database', db.url, '--table', table, '--json', '--home', home]), table);
    expect(await db.exists()).toBe(false);
    // The session is untouched: the same import into a proper table goes through.
    const imported = await cli(['import', '--file-id', fileId, '--database', db.url, '--json', '--home', home]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(await db.tables()).toEqual(['contact_import_changes', 'contact_import_migrations', 'contact_imports', 'contacts']);
  });

  it('refuses run --table contact_import_changes before uploading the file', async () => {
    const { db, home } = fresh(engine);
    expectRefused(await cli(['run', csv, '--auto', '--database', db.url, '--table', 'contact_import_changes', '--json', '--home', home]), 'contact_import_changes');
    expect(fs.existsSync(path.join(home, 'uploads')) ? fs.readdirSync(path.join(home, 'uploads')) : []).toEqual([]);
    expect(await db.exists()).toBe(false);
    // history and undo keep working on the database afterwards.
    const run = await cli(['run', csv, '--auto', '--database', db.url, '--json', '--home', home]);
    expect(run.code, run.stderr).toBe(0);
    const history = await cli(['history', '--database', db.url, '--json', '--home', home]);
    expect(history.json().imports).toMatchObject([{ importId: run.json().importId, status: 'completed' }]);
    expect((await cli(['undo', run.json().importId, '--yes', '--database', db.url, '--home', home])).code).toBe(0);
  });
});

describe('a run recorded against a reserved table (written by an older version)', () => {
  it('is listed by history, and undo refuses it in one line instead of touching that table', async () => {
    const { db, home } = fresh(SQLITE);
    const run = await cli(['run', csv, '--auto', '--database', db.url, '--json', '--home', home]);
    expect(run.code, run.stderr).toBe(0);
    const { importId } = run.json();
    await db.exec(`UPDATE contact_imports SET table_name = 'contact_import_changes'`);
    const history = await cli(['history', '--database', db.url, '--json', '--home', home]);
    expect(history.code, history.stderr).toBe(0);
    expect(history.json().imports).toMatchObject([{ importId }]);
    const undo = await cli(['undo', importId, '--yes', '--database', db.url, '--json', '--home', home]);
    expectRefused(undo, 'contact_import_changes');
    expect(await db.query('SELECT status FROM contact_imports')).toEqual([{ status: 'completed' }]);
  });
});
