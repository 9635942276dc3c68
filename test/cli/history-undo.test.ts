// `history` lists past imports newest first; `undo <importId>` deletes the contacts an import
// created and puts back, exactly, the ones it updated — asking first on a terminal, refusing
// without one unless --yes, and refusing to discard later changes unless --force.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, scratchDir, type CliResult } from '../helpers/cli.js';
import { ENGINES, SQLITE, type Row, type TestDatabase, type TestEngine } from '../helpers/databases.js';
import { generateContacts } from '../helpers/generate-contacts.js';
import { ENTER, onTerminal } from '../helpers/terminal.js';

const scratch = scratchDir('ci-undo-');
const cwd = scratch.dir;
const databases: TestDatabase[] = [];
afterAll(async () => {
  for (const db of databases) await db.drop().catch(() => undefined);
  scratch.cleanup();
});
let n = 0;
const noRedis = { REDIS_URL: undefined };

// A: persons 1–300. B: persons 151–450 with other titles and phones, imported with
// --on-duplicate update: it updates what A created for 151–300 and creates 301–450.
const fileA = path.join(cwd, 'a.csv');
const fileB = path.join(cwd, 'b.csv');
fs.writeFileSync(fileA, generateContacts({ rows: 300, seed: 11 }).csv);
fs.writeFileSync(fileB, generateContacts({ rows: 300, seed: 12, firstNumber: 151, titleSuffix: ' II' }).csv);
const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

function freshDatabase(engine: TestEngine): TestDatabase {
  const db = engine.create(cwd, `db-${++n}`);
  databases.push(db);
  return db;
}

const cli = (args: string[]) => runCli(args, { cwd, env: noRedis });

async function runImport(db: TestDatabase, file: string, extra: string[] = []): Promise<Row> {
  const result = await cli(['run', file, '--auto', '--database', db.url, ...extra, '--json', '--home', path.join(cwd, `home-${++n}`)]);
  expect(result.code, result.stderr).toBe(0);
  return result.json();
}

const allContacts = (db: TestDatabase) => db.query('SELECT * FROM contacts ORDER BY id');

function expectOneLineError(result: CliResult, code: number, pattern: RegExp): void {
  expect(result.code, result.stderr).toBe(code);
  expect(result.stderr).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
}

describe.each(ENGINES)('history and undo (%s)', (engine) => {
  it('lists both imports newest first; undo restores the update exactly, then removes the first import', async () => {
    const db = freshDatabase(engine);
    const a = await runImport(db, fileA);
    const afterA = await allContacts(db);
    const b = await runImport(db, fileB, ['--on-duplicate', 'update']);
    expect(b.updated).toBeGreaterThan(100);
    expect(b.imported).toBeGreaterThan(100);
    // B did change what it updated (so restoring it is not a no-op).
    const changed = await db.query("SELECT count(*) AS n FROM contacts WHERE title LIKE '% II'");
    expect(Number(changed[0]!.n)).toBe(b.imported + b.updated);

    const listed = await cli(['history', '--database', db.url, '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    const { imports } = listed.json();
    expect(imports.map((r: Row) => r.importId)).toEqual([b.importId, a.importId]);
    for (const [run, summary, file] of [[imports[0], b, fileB], [imports[1], a, fileA]] as const) {
      expect(run).toMatchObject({
        importId: summary.importId,
        fileId: summary.fileId,
        fileName: path.basename(file),
        fileSha256: sha256(file),
        table: 'contacts',
        status: 'completed',
        totalRows: 300,
        rowsDone: 300,
        imported: summary.imported,
        updated: summary.updated,
        skipped: summary.skipped,
        invalid: summary.invalid,
        duplicates: summary.duplicates,
        excluded: 0,
        undoneAt: null,
      });
      expect(Date.parse(run.finishedAt)).toBeGreaterThanOrEqual(Date.parse(run.startedAt));
      expect(run.mapping).toMatchObject({ 'Email Address': 'email', 'First Name': 'firstName', 'Job Title': 'title' });
    }
    expect(Date.parse(imports[0].startedAt)).toBeGreaterThanOrEqual(Date.parse(imports[1].finishedAt));

    const newest = await cli(['history', '--database', db.url, '--limit', '1', '--json']);
    expect(newest.json().imports.map((r: Row) => r.importId)).toEqual([b.importId]);

    const undoB = await cli(['undo', b.importId, '--database', db.url, '--yes', '--json']);
    expect(undoB.code, undoB.stderr).toBe(0);
    expect(undoB.json()).toEqual({ importId: b.importId, table: 'contacts', deleted: b.imported, restored: b.updated, conflicts: 0 });
    // Every field, updated_at and import_id included, as it was before B.
    expect(await allContacts(db)).toEqual(afterA);

    const afterUndo = (await cli(['history', '--database', db.url, '--json'])).json().imports;
    expect(afterUndo[0]).toMatchObject({ importId: b.importId, status: 'undone', imported: b.imported, updated: b.updated });
    expect(Date.parse(afterUndo[0].undoneAt)).not.toBeNaN();
    expect(afterUndo[1]).toMatchObject({ importId: a.importId, status: 'completed', undoneAt: null });

    const again = await cli(['undo', b.importId, '--database', db.url, '--yes', '--json']);
    expectOneLineError(again, 2, /undone/);
    expect(await allContacts(db)).toEqual(afterA);

    const undoA = await cli(['undo', a.importId, '--database', db.url, '--yes', '--json']);
    expect(undoA.code, undoA.stderr).toBe(0);
    expect(undoA.json()).toEqual({ importId: a.importId, table: 'contacts', deleted: a.imported, restored: 0, conflicts: 0 });
    expect(await allContacts(db)).toEqual([]);
  }, 60_000);

  it('refuses to undo an import whose contacts were changed since, unless --force', async () => {
    const db = freshDatabase(engine);
    const a = await runImport(db, fileA);
    const b = await runImport(db, fileB, ['--on-duplicate', 'update']);
    const before = await allContacts(db);

    // Every contact B updated was created by A: that many would lose B's changes.
    const refused = await cli(['undo', a.importId, '--database', db.url, '--yes']);
    expectOneLineError(refused, 2, new RegExp(`\\b${b.updated}\\b`));
    expect(await allContacts(db)).toEqual(before);

    const forced = await cli(['undo', a.importId, '--database', db.url, '--yes', '--force', '--json']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.json()).toEqual({ importId: a.importId, table: 'contacts', deleted: a.imported, restored: 0, conflicts: b.updated });
    // What A created is gone, the changed ones included; what B created stays.
    const left = await allContacts(db);
    expect(left).toHaveLength(b.imported);
    expect(new Set(left.map((c) => c.import_id))).toEqual(new Set([b.importId]));
  }, 60_000);

  it('never asks without a terminal: exit 2 without --yes, unknown ids exit 2, nothing changes', async () => {
    const db = freshDatabase(engine);
    const a = await runImport(db, fileA);
    const before = await allContacts(db);
    expectOneLineError(await cli(['undo', a.importId, '--database', db.url]), 2, /--yes/);
    expectOneLineError(await cli(['undo', a.importId, '--database', db.url, '--no-input', '--json']), 2, /--yes/);
    expectOneLineError(await cli(['undo', 'import_00000000-0000-0000-0000-000000000000', '--database', db.url, '--yes']), 2, /no import/);
    expect(await allContacts(db)).toEqual(before);
    expect((await cli(['history', '--database', db.url, '--json'])).json().imports[0]).toMatchObject({ status: 'completed', undoneAt: null });
  }, 60_000);
});

describe('undo on a terminal', () => {
  it('asks first, default no: n and Enter alone change nothing, y undoes', async () => {
    const db = freshDatabase(SQLITE);
    const a = await runImport(db, fileA);
    const before = await allContacts(db);
    const answers: Array<[string, number]> = [['n' + ENTER, 1], [ENTER, 1], ['y' + ENTER, 0]];
    for (const [keys, code] of answers) {
      const terminal = onTerminal(['undo', a.importId, '--database', db.url], { cwd, env: noRedis });
      await terminal.waitFor(new RegExp(`Undo ${a.importId}.*${a.imported}`, 's'));
      terminal.write(keys);
      expect(await terminal.exited, terminal.screen()).toBe(code);
      if (code === 0) {
        expect(terminal.screen()).toMatch(/Undid/);
        expect(await allContacts(db)).toEqual([]);
      } else {
        expect(terminal.screen()).toMatch(/cancelled; nothing was changed/);
        expect(await allContacts(db)).toEqual(before);
      }
    }
  }, 60_000);
});
