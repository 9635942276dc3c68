// kill -9 at any moment of an import, then the same command again: it resumes under the same
// importId, and the end state is exactly that of one uninterrupted run — the same contacts,
// the same counts, the same rejected and imported rows in the results files. Run for real: a
// generated 20k-row file imported by the built CLI in a child process, killed with SIGKILL
// once the checkpoint in contact_imports reaches a given row, on SQLite and on PostgreSQL.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, scratchDir } from '../helpers/cli.js';
import { deleteKeys, rawClient, REDIS_URL, uniquePrefix } from '../helpers/redis.js';
import { ENGINES, SQLITE, type Row, type TestDatabase, type TestEngine } from '../helpers/databases.js';
import { generateContacts } from '../helpers/generate-contacts.js';
import {
  byRow,
  contactsByEmail,
  copyHome,
  countsOf,
  expectSameRows,
  readResultsCsv,
  runningRun,
  spawnCli,
  until,
  type ResultsCsv,
} from '../helpers/import-runs.js';

const ROWS = 20_000;
const BATCH = ['--batch-size', '500'];
// Each scenario imports 20k rows up to four times on a shared two-core machine.
const SCENARIO_MS = 90_000;

const scratch = scratchDir('ci-crash-');
const cwd = scratch.dir;
const databases: TestDatabase[] = [];
const file = path.join(cwd, 'contacts-20k.csv');
const generated = generateContacts({ rows: ROWS });
/** A home whose session (upload, analysis, --auto mapping) is ready to import; copied per run. */
const template = path.join(cwd, 'template-home');
let fileId = '';
let n = 0;

beforeAll(async () => {
  fs.writeFileSync(file, generated.csv);
  const analyzed = await runCli(['analyze', file, '--json', '--home', template], { cwd, env: { REDIS_URL: undefined } });
  expect(analyzed.code, analyzed.stderr).toBe(0);
  fileId = analyzed.json().fileId;
  const mapped = await runCli(['map', '--file-id', fileId, '--auto', '--home', template], { cwd, env: { REDIS_URL: undefined } });
  expect(mapped.code, mapped.stderr).toBe(0);
}, 60_000);

afterAll(async () => {
  for (const db of databases) await db.drop().catch(() => undefined);
  scratch.cleanup();
});

function freshDatabase(engine: TestEngine): TestDatabase {
  const db = engine.create(cwd, `db-${++n}`);
  databases.push(db);
  return db;
}

/** A home of its own with the template's session in it. */
function freshHome(): string {
  const home = path.join(cwd, `home-${++n}`);
  copyHome(template, home);
  return home;
}

/** What an import leaves that must not depend on crashes. */
interface EndState {
  summary: Row;
  contacts: Row[];
  rejected: ResultsCsv;
  imported: ResultsCsv;
}

function importArgs(db: TestDatabase, home: string, out: string, extra: string[] = []): string[] {
  return [
    'import', '--file-id', fileId, '--database', db.url, ...BATCH, ...extra, '--json', '--home', home,
    '--errors-out', `${out}.rejected.csv`, '--imported-out', `${out}.imported.csv`,
  ];
}

async function endState(db: TestDatabase, summary: Row, out: string): Promise<EndState> {
  return {
    summary,
    contacts: await contactsByEmail(db),
    rejected: readResultsCsv(`${out}.rejected.csv`),
    imported: readResultsCsv(`${out}.imported.csv`),
  };
}

/** One uninterrupted import of the template's session into a fresh database. */
async function cleanRun(db: TestDatabase, extra: string[] = []): Promise<EndState> {
  const out = path.join(cwd, `clean-${++n}`);
  const result = await runCli(importArgs(db, freshHome(), out, extra), { cwd, env: { REDIS_URL: undefined } });
  expect(result.code, result.stderr).toBe(0);
  return endState(db, result.json(), out);
}

/**
 * When to kill: as soon as the run is recorded ('start', before or around its first batch),
 * or once the checkpoint covers this share of the file.
 */
type KillPoint = 'start' | number;

interface Killed {
  run: Row;
  /** Contacts in the table at the moment of death. */
  contacts: number;
}

/** Starts `args`, SIGKILLs it at `point`, and returns the unfinished run as the database kept it. */
async function killAt(db: TestDatabase, args: string[], point: KillPoint): Promise<Killed> {
  const child = spawnCli(args, { cwd });
  const target = point === 'start' ? 0 : Math.floor(ROWS * point);
  await until(
    `the checkpoint reached row ${target}`,
    async () => {
      const run = await runningRun(db);
      return run && Number(run.rows_done) >= target ? run : undefined;
    },
    child,
  );
  child.child.kill('SIGKILL');
  const { signal } = await child.exited;
  expect(signal, `the import ended before it could be killed:\n${child.stderr()}`).toBe('SIGKILL');
  const runs = await db.query("SELECT * FROM contact_imports WHERE status <> 'completed'");
  expect(runs).toHaveLength(1);
  const run = runs[0]!;
  expect(run.status).toBe('running');
  expect(Number(run.rows_done)).toBeGreaterThanOrEqual(target);
  expect(Number(run.rows_done)).toBeLessThan(ROWS);
  const [{ n: contacts }] = await db.query('SELECT count(*) AS n FROM contacts');
  return { run, contacts: Number(contacts) };
}

/** The end state after a kill and a re-run is the clean run's, up to ids and timestamps. */
function expectSameEnd(actual: EndState, expected: EndState, importId: string): void {
  expect(countsOf(actual.summary)).toEqual(countsOf(expected.summary));
  expect(actual.summary.success).toBe(true);
  expect(actual.summary.importId).toBe(importId);
  expectSameRows(actual.contacts, expected.contacts, 'contacts');

  expect(actual.rejected.header).toEqual(expected.rejected.header);
  expectSameRows(byRow(actual.rejected.records), byRow(expected.rejected.records), 'rejected rows');

  expect(actual.imported.header).toEqual(expected.imported.header);
  const withoutId = (records: Array<Record<string, string>>) => byRow(records).map(({ _id: _i, ...rest }) => rest);
  expectSameRows(withoutId(actual.imported.records), withoutId(expected.imported.records), 'imported rows');
}

/** Every `_id` of an imported-rows file is the id its contact has in the table. */
async function expectIdsMatch(db: TestDatabase, imported: ResultsCsv): Promise<void> {
  const ids = new Map((await db.query('SELECT id, email FROM contacts')).map((c) => [c.email as string, Number(c.id)]));
  const wrong = imported.records.filter((r) => ids.get(r['Email Address']!.trim().toLowerCase()) !== Number(r._id));
  expect(wrong.slice(0, 3), `${wrong.length} imported rows with the wrong _id`).toEqual([]);
}

describe.each(ENGINES)('kill -9 during an import, then the same command again (%s)', (engine) => {
  let reference: EndState;

  beforeAll(async () => {
    reference = await cleanRun(freshDatabase(engine));
  }, SCENARIO_MS);

  it('the clean reference run accounts for every row of the generated file', () => {
    expect(countsOf(reference.summary)).toEqual({
      totalRows: ROWS,
      imported: generated.uniqueEmails.length,
      updated: 0,
      invalid: generated.invalidRows.length,
      duplicates: generated.duplicateRows.length,
      excluded: 0,
      skipped: generated.invalidRows.length + generated.duplicateRows.length,
    });
    expect(reference.summary.resumedFrom).toBeUndefined();
    expect(reference.contacts.map((c) => c.email)).toEqual([...generated.uniqueEmails].sort());
    expect(reference.rejected.header.slice(-3)).toEqual(['_row', '_field', '_reason']);
    expect(byRow(reference.rejected.records).map((r) => Number(r._row))).toEqual(
      [...generated.invalidRows, ...generated.duplicateRows].sort((a, b) => a - b),
    );
    expect(reference.imported.records).toHaveLength(generated.uniqueEmails.length);
  });

  const scenarios: Array<[string, KillPoint[]]> = [
    ['as soon as the run is recorded', ['start']],
    // Each re-run is itself killed, so it also resumes a resumed run.
    ['at 10%, then the re-run at 50%, then that one at 90%', [0.1, 0.5, 0.9]],
  ];

  it.each(scenarios)(
    'killed %s: resumes from the checkpoint and ends exactly as one clean run',
    async (_name, points) => {
      const db = freshDatabase(engine);
      const home = freshHome();
      const out = path.join(cwd, `killed-${++n}`);
      const args = importArgs(db, home, out);
      let importId: string | undefined;
      let rowsDone = -1;
      for (const point of points) {
        const killed = await killAt(db, args, point);
        if (point === points[0]) {
          // With other options it would be another import: refused until run as it was.
          const other = await runCli([...args, '--on-duplicate', 'update'], { cwd, env: { REDIS_URL: undefined } });
          expect(other.code, other.stderr).toBe(2);
          expect(await runningRun(db)).toMatchObject({ id: killed.run.id, rows_done: killed.run.rows_done });
        }
        // The same run each time, and its checkpoint never goes back.
        importId ??= killed.run.id as string;
        expect(killed.run.id).toBe(importId);
        expect(Number(killed.run.rows_done)).toBeGreaterThanOrEqual(rowsDone);
        rowsDone = Number(killed.run.rows_done);
        // The checkpoint commits with the rows it covers: never more, never fewer.
        expect(killed.contacts).toBe(Number(killed.run.imported));
        expect(Number(killed.run.invalid) + Number(killed.run.duplicates) + Number(killed.run.imported)).toBe(rowsDone);
        // A killed run leaves no results file under the real names.
        expect(fs.existsSync(`${out}.rejected.csv`)).toBe(false);
        expect(fs.existsSync(`${out}.imported.csv`)).toBe(false);
      }

      const rerun = await runCli(args, { cwd, env: { REDIS_URL: undefined } });
      expect(rerun.code, rerun.stderr).toBe(0);
      const summary = rerun.json();
      expect(summary.resumedFrom).toBe(rowsDone);
      expect(summary.alreadyImported).toBeUndefined();
      const end = await endState(db, summary, out);
      expectSameEnd(end, reference, importId!);
      await expectIdsMatch(db, end.imported);

      const importIds = await db.query('SELECT DISTINCT import_id FROM contacts');
      expect(importIds).toEqual([{ import_id: importId }]);
      const runs = await db.query('SELECT * FROM contact_imports');
      expect(runs).toHaveLength(1);
      expect(runs[0]).toMatchObject({ id: importId, status: 'completed', file_id: fileId });
      expect(Number(runs[0]!.rows_done)).toBe(ROWS);
      expect(Number(runs[0]!.imported)).toBe(reference.summary.imported);
    },
    SCENARIO_MS,
  );

  it(
    'run <path> --auto killed at 50% and run again: the re-upload is recognised by its content and resumed',
    async () => {
      const db = freshDatabase(engine);
      const home = path.join(cwd, `run-home-${++n}`);
      const out = path.join(cwd, `run-${n}`);
      const args = [
        'run', file, '--auto', '--database', db.url, ...BATCH, '--json', '--home', home,
        '--errors-out', `${out}.rejected.csv`, '--imported-out', `${out}.imported.csv`,
      ];
      const killed = await killAt(db, args, 0.5);
      expect(killed.contacts).toBe(Number(killed.run.imported));

      const rerun = await runCli(args, { cwd, env: { REDIS_URL: undefined } });
      expect(rerun.code, rerun.stderr).toBe(0);
      const summary = rerun.json();
      expect(summary.resumedFrom).toBe(Number(killed.run.rows_done));
      expect(summary.fileId).not.toBe(killed.run.file_id); // uploaded again: a new session
      const end = await endState(db, summary, out);
      expectSameEnd(end, reference, killed.run.id as string);
      expect(await db.query('SELECT DISTINCT import_id FROM contacts')).toEqual([{ import_id: killed.run.id }]);
      expect(await db.query('SELECT status FROM contact_imports')).toEqual([{ status: 'completed' }]);
    },
    SCENARIO_MS,
  );
});

describe('killed after the end was committed, before the session was cleared', () => {
  it('the same command again reports the finished import and writes nothing', async () => {
    const db = freshDatabase(SQLITE);
    const home = freshHome();
    // The twin keeps the session the finished import clears: what a crash at that moment leaves.
    const twin = path.join(cwd, `twin-${++n}`);
    copyHome(home, twin);
    const first = await runCli(importArgs(db, home, path.join(cwd, `first-${n}`)), { cwd, env: { REDIS_URL: undefined } });
    expect(first.code, first.stderr).toBe(0);
    const before = await db.query('SELECT * FROM contacts ORDER BY id');
    const runsBefore = await db.query('SELECT * FROM contact_imports');

    const out = path.join(cwd, `again-${n}`);
    const again = await runCli(importArgs(db, twin, out), { cwd, env: { REDIS_URL: undefined } });
    expect(again.code, again.stderr).toBe(0);
    const summary = again.json();
    expect(summary).toMatchObject({ success: true, alreadyImported: true, importId: first.json().importId });
    expect(countsOf(summary)).toEqual(countsOf(first.json()));
    expect(await db.query('SELECT * FROM contacts ORDER BY id')).toEqual(before);
    expect(await db.query('SELECT * FROM contact_imports')).toEqual(runsBefore);
  }, SCENARIO_MS);
});

describe('kill -9 during an --on-duplicate update import over existing contacts (SQLite)', () => {
  it('resumes it and ends exactly as one clean update run, updated rows reported as updated', async () => {
    // Contacts already there: the first 4,000 emails of the big file, with other titles.
    const base = freshDatabase(SQLITE);
    const older = path.join(cwd, 'older.csv');
    fs.writeFileSync(older, generateContacts({ rows: 4_000, seed: 99, titleSuffix: ' (2019)' }).csv);
    const seeded = await runCli(['run', older, '--auto', '--database', base.url, '--json', '--home', path.join(cwd, `older-home-${++n}`)], {
      cwd,
      env: { REDIS_URL: undefined },
    });
    expect(seeded.code, seeded.stderr).toBe(0);
    const baseFile = base.url.replace(/^sqlite:/, '');
    const copyOfBase = (): TestDatabase => {
      const db = freshDatabase(SQLITE);
      fs.copyFileSync(baseFile, db.url.replace(/^sqlite:/, ''));
      return db;
    };

    const update = ['--on-duplicate', 'update'];
    const reference = await cleanRun(copyOfBase(), update);
    expect(reference.summary.updated).toBeGreaterThan(3_000);

    const db = copyOfBase();
    const out = path.join(cwd, `killed-update-${++n}`);
    const args = importArgs(db, freshHome(), out, update);
    const killed = await killAt(db, args, 0.5);
    const rerun = await runCli(args, { cwd, env: { REDIS_URL: undefined } });
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.json().resumedFrom).toBe(Number(killed.run.rows_done));
    const end = await endState(db, rerun.json(), out);
    expectSameEnd(end, reference, killed.run.id as string);
    await expectIdsMatch(db, end.imported);
  }, SCENARIO_MS);
});

describe('kill -9 with the session state in Redis', () => {
  const prefix = uniquePrefix('crash');
  const redis = { REDIS_URL, REDIS_PREFIX: prefix };
  afterAll(async () => {
    const client = rawClient();
    await deleteKeys(client, prefix);
    await client.quit();
  });

  it('the same command again at once is not locked out by the dead process', async () => {
    const home = path.join(cwd, `redis-home-${++n}`);
    const analyzed = await runCli(['analyze', file, '--json', '--home', home], { cwd, env: redis });
    expect(analyzed.code, analyzed.stderr).toBe(0);
    const redisFileId = analyzed.json().fileId;
    expect((await runCli(['map', '--file-id', redisFileId, '--auto', '--home', home], { cwd, env: redis })).code).toBe(0);

    const db = freshDatabase(SQLITE);
    const args = ['import', '--file-id', redisFileId, '--database', db.url, ...BATCH, '--json', '--home', home];
    const child = spawnCli(args, { cwd, env: redis });
    const run = await until('a tenth of the file to be committed', async () => {
      const r = await runningRun(db);
      return r && Number(r.rows_done) >= ROWS / 10 ? r : undefined;
    }, child);
    child.child.kill('SIGKILL');
    expect((await child.exited).signal).toBe('SIGKILL');
    // The dead import's lock is still in Redis, with most of its 60 s to live.
    const client = rawClient();
    expect(await client.pttl(`${prefix}lock:import:${redisFileId}`)).toBeGreaterThan(0);
    await client.quit();

    const again = await runCli(args, { cwd, env: redis });
    expect(again.code, again.stderr).toBe(0);
    expect(again.json()).toMatchObject({ importId: run.id, totalRows: ROWS, imported: generated.uniqueEmails.length });
    expect(again.json().resumedFrom).toBeGreaterThanOrEqual(ROWS / 10);
  }, SCENARIO_MS);
});
