import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runCli, scratchDir } from '../helpers/cli.js';
import { POSTGRES, SQLITE, type TestDatabase } from '../helpers/databases.js';
import { generateContacts } from '../helpers/generate-contacts.js';
import { contactsByEmail, copyHome, countsOf, expectSameRows, runningRun, spawnCli, until } from '../helpers/import-runs.js';

// Ctrl-C in the middle of an import: the open batch is rolled back, every committed batch is
// whole, the run is recorded as interrupted, and the exit code is 130.

const scratch = scratchDir();
const cwd = scratch.dir;
const home = ['--home', path.join(cwd, 'home')];
const databases: TestDatabase[] = [];
afterAll(async () => {
  for (const db of databases) await db.drop().catch(() => undefined);
  scratch.cleanup();
});

function count(db: string, sql: string): number {
  const conn = new Database(db, { readonly: true, fileMustExist: true });
  try {
    return (conn.prepare(sql).get() as { n: number }).n;
  } finally {
    conn.close();
  }
}

function tryCount(db: string, sql: string): number {
  try {
    return count(db, sql);
  } catch {
    return 0;
  }
}

describe('SIGINT during import', () => {
  // 1000: each batch written on the SQLite writer thread.
  it.each([100, 1000])('rolls back the open batch, records the run as interrupted, exits 130 (batches of %i)', async (batchSize) => {
    const rows = 60_000;
    const csv = path.join(cwd, 'many.csv');
    const lines = ['Email,First Name'];
    for (let i = 1; i <= rows; i++) lines.push(`person${i}@example.com,Person ${i}`);
    fs.writeFileSync(csv, `${lines.join('\n')}\n`);
    const analyzed = await runCli(['analyze', csv, '--json', ...home], { cwd, env: { MAX_ROWS_ALLOWED: String(rows) } });
    const fileId = analyzed.json().fileId;
    await runCli(['map', '--file-id', fileId, '--auto', ...home], { cwd });

    const db = path.join(cwd, `interrupted-${batchSize}.db`);
    const child = spawn(process.execPath, [BIN, 'import', '--file-id', fileId, '--database', `sqlite:${db}`, '--batch-size', String(batchSize), ...home], {
      cwd,
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));

    // Interrupt once some batches are committed.
    const deadline = Date.now() + 20_000;
    for (;;) {
      // The file exists a moment before its tables do: "no such table" just means not yet.
      if (fs.existsSync(db) && tryCount(db, 'SELECT count(*) AS n FROM contacts') >= 500) break;
      if (Date.now() > deadline) throw new Error(`import never got going: ${stderr}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toMatch(/interrupted/);

    const stored = count(db, 'SELECT count(*) AS n FROM contacts');
    expect(stored).toBeGreaterThanOrEqual(500);
    expect(stored).toBeLessThan(rows);
    expect(stored % batchSize).toBe(0);
    const conn = new Database(db, { readonly: true });
    const run = conn.prepare('SELECT status, imported FROM contact_imports').get() as { status: string; imported: number };
    conn.close();
    expect(run).toEqual({ status: 'interrupted', imported: stored });
  });
});

// Then the same command again finishes the interrupted run: same importId, and the totals and
// contacts of one uninterrupted run. SIGINT on SQLite, SIGTERM (what cron and systemd send) on
// PostgreSQL.
describe('the same command after an interrupt', () => {
  const rows = 20_000;
  const generated = generateContacts({ rows, seed: 21 });
  const template = path.join(cwd, 'resume-template');
  let fileId = '';
  let n = 0;
  const noRedis = { REDIS_URL: undefined };
  const homeCopy = () => {
    const home = path.join(cwd, `resume-home-${++n}`);
    copyHome(template, home);
    return home;
  };

  beforeAll(async () => {
    const file = path.join(cwd, 'generated.csv');
    fs.writeFileSync(file, generated.csv);
    const analyzed = await runCli(['analyze', file, '--json', '--home', template], { cwd, env: noRedis });
    expect(analyzed.code, analyzed.stderr).toBe(0);
    fileId = analyzed.json().fileId;
    expect((await runCli(['map', '--file-id', fileId, '--auto', '--home', template], { cwd, env: noRedis })).code).toBe(0);
  }, 60_000);

  it.each([
    ['SIGINT', 'sqlite', SQLITE],
    ['SIGTERM', 'postgres', POSTGRES],
  ] as const)('%s on %s: interrupted, recorded, then resumed to the totals of a clean run', async (signal, _name, engine) => {
    const importArgs = (db: TestDatabase, out: string) =>
      ['import', '--file-id', fileId, '--database', db.url, '--batch-size', '500', '--errors-out', out, '--json', '--home', homeCopy()];
    const clean = engine.create(cwd, `clean-${engine.name}`);
    const db = engine.create(cwd, `interrupted-${engine.name}`);
    databases.push(clean, db);
    const reference = await runCli(importArgs(clean, path.join(cwd, `clean-${engine.name}.csv`)), { cwd, env: noRedis });
    expect(reference.code, reference.stderr).toBe(0);

    const out = path.join(cwd, `interrupted-${engine.name}.csv`);
    const args = importArgs(db, out);
    const child = spawnCli(args, { cwd });
    await until('a quarter of the file to be committed', async () => {
      const run = await runningRun(db);
      return run && Number(run.rows_done) >= rows / 4 ? run : undefined;
    }, child);
    child.child.kill(signal);
    const { code } = await child.exited;
    expect(code, child.stderr()).toBe(130);
    expect(child.stderr()).toMatch(/interrupted/);
    expect(child.stderr()).toMatch(/run the same command again/);
    expect(child.json()).toMatchObject({ success: false, error: { code: 'INTERRUPTED' } });

    const [run] = await db.query('SELECT * FROM contact_imports');
    expect(run).toMatchObject({ status: 'interrupted' });
    const rowsDone = Number(run!.rows_done);
    expect(rowsDone).toBeGreaterThanOrEqual(rows / 4);
    expect(rowsDone).toBeLessThan(rows);
    // The open batch was rolled back: what is stored is what the checkpoint counts.
    const [{ n: stored }] = await db.query('SELECT count(*) AS n FROM contacts');
    expect(Number(stored)).toBe(Number(run!.imported));
    expect(fs.existsSync(out)).toBe(false);

    const history = await runCli(['history', '--database', db.url, '--json'], { cwd, env: noRedis });
    expect(history.json().imports).toMatchObject([{ importId: run!.id, status: 'interrupted', rowsDone }]);

    const again = await runCli(args, { cwd, env: noRedis });
    expect(again.code, again.stderr).toBe(0);
    const summary = again.json();
    expect(summary).toMatchObject({ success: true, importId: run!.id, resumedFrom: rowsDone, errorReport: out });
    expect(countsOf(summary)).toEqual(countsOf(reference.json()));
    expectSameRows(await contactsByEmail(db), await contactsByEmail(clean), 'contacts');
    expect(await db.query('SELECT DISTINCT import_id FROM contacts')).toEqual([{ import_id: run!.id }]);
    expect(await db.query('SELECT status FROM contact_imports')).toEqual([{ status: 'completed' }]);
  }, 90_000);
});
