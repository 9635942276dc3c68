// Two imports at the same time — cron and a person, on one machine — with two real processes,
// on SQLite and on PostgreSQL. The same import twice: the second is refused clearly (exit 1,
// "another import of …") and the first finishes as if alone. Different files into one
// database: both finish, no SQLITE_BUSY, every contact stored once.
//
// "At the same time" is made certain rather than hoped for: the first import is frozen
// (SIGSTOP) between two batches — alive, its run unfinished, no transaction open — while the
// second one starts, then let go.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, scratchDir } from '../helpers/cli.js';
import { ENGINES, type Row, type TestDatabase, type TestEngine } from '../helpers/databases.js';
import { generateContacts, type GeneratedFile } from '../helpers/generate-contacts.js';
import { copyHome, countsOf, pauseBetweenBatches, runningRun, spawnCli, until, type Spawned } from '../helpers/import-runs.js';

const ROWS = 10_000;
const BATCH = ['--batch-size', '250'];
const TEST_MS = 90_000;
const noRedis = { REDIS_URL: undefined };

const scratch = scratchDir('ci-concurrent-');
const cwd = scratch.dir;
const databases: TestDatabase[] = [];
let n = 0;

interface Prepared {
  file: string;
  generated: GeneratedFile;
  /** A home with the file analyzed and mapped (--auto), copied for each use. */
  home: string;
  fileId: string;
}

/**
 * alpha and beta share no email; gamma has half of alpha's emails and half new; reversed is
 * alpha's rows in the opposite order (the same contacts, met the other way round).
 */
const files: Record<'alpha' | 'beta' | 'gamma' | 'reversed', Prepared> = {} as never;

async function prepare(name: string, generated: GeneratedFile): Promise<Prepared> {
  const file = path.join(cwd, `${name}.csv`);
  fs.writeFileSync(file, generated.csv);
  const home = path.join(cwd, `${name}-home`);
  const analyzed = await runCli(['analyze', file, '--json', '--home', home], { cwd, env: noRedis });
  expect(analyzed.code, analyzed.stderr).toBe(0);
  const fileId = analyzed.json().fileId;
  const mapped = await runCli(['map', '--file-id', fileId, '--auto', '--home', home], { cwd, env: noRedis });
  expect(mapped.code, mapped.stderr).toBe(0);
  return { file, generated, home, fileId };
}

beforeAll(async () => {
  const alphaFile = generateContacts({ rows: ROWS, local: 'alpha', seed: 1 });
  const [header, ...lines] = alphaFile.csv.trimEnd().split('\n');
  // Rows are single lines unless a note is quoted over two: keep those records whole.
  const records: string[] = [];
  for (const line of lines) {
    const open = records.length > 0 && (records[records.length - 1]!.match(/"/g)?.length ?? 0) % 2 === 1;
    if (open) records[records.length - 1] += `\n${line}`;
    else records.push(line);
  }
  const reversedFile = { ...alphaFile, csv: `${[header, ...records.reverse()].join('\n')}\n` };
  const [alpha, beta, gamma, reversed] = await Promise.all([
    prepare('alpha', alphaFile),
    prepare('beta', generateContacts({ rows: ROWS, local: 'beta', seed: 2 })),
    prepare('gamma', generateContacts({ rows: ROWS, local: 'alpha', firstNumber: ROWS / 2 + 1, seed: 3 })),
    prepare('reversed', reversedFile),
  ]);
  Object.assign(files, { alpha, beta, gamma, reversed });
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

/** A home of its own holding the prepared session of `file`. */
function homeFor(file: Prepared): string {
  const home = path.join(cwd, `home-${++n}`);
  copyHome(file.home, home);
  return home;
}

function importArgs(file: Prepared, db: TestDatabase, home: string): string[] {
  return ['import', '--file-id', file.fileId, '--database', db.url, ...BATCH, '--json', '--home', home];
}

/** Starts an import and waits until its first batches are committed, with most of the file to go. */
async function startedImport(db: TestDatabase, args: string[]): Promise<Spawned> {
  const child = spawnCli(args, { cwd });
  await until('the first batches to commit', async () => {
    const run = await runningRun(db);
    return run && Number(run.rows_done) >= 500 ? run : undefined;
  }, child);
  return child;
}

/**
 * Runs `second` while `first` is frozen mid-import; `second` must be refused without waiting
 * for `first`. Then lets `first` finish, and returns both results.
 */
async function overlapping(db: TestDatabase, firstArgs: string[], secondArgs: string[]) {
  const first = await startedImport(db, firstArgs);
  const resume = await pauseBetweenBatches(db, first);
  let second: Awaited<ReturnType<typeof runCli>>;
  try {
    second = await runCli(secondArgs, { cwd, env: noRedis });
  } finally {
    resume();
  }
  await first.exited;
  return { first, second };
}

async function expectOnlyRun(db: TestDatabase, generated: GeneratedFile, summary: Row): Promise<void> {
  expect(countsOf(summary)).toMatchObject({
    totalRows: ROWS,
    imported: generated.uniqueEmails.length,
    invalid: generated.invalidRows.length,
    duplicates: generated.duplicateRows.length,
  });
  const runs = await db.query('SELECT id, status, imported FROM contact_imports');
  expect(runs).toEqual([{ id: summary.importId, status: 'completed', imported: generated.uniqueEmails.length }]);
  const stored = await db.query('SELECT email, import_id FROM contacts');
  expect(stored.map((c) => c.email).sort()).toEqual([...generated.uniqueEmails].sort());
  expect(new Set(stored.map((c) => c.import_id))).toEqual(new Set([summary.importId]));
}

describe.each(ENGINES)('two imports at once (%s)', (engine) => {
  it('the same fileId twice (sharing the state): the second is refused, the first ends as if alone', async () => {
    const db = freshDatabase(engine);
    const home = homeFor(files.alpha);
    const args = importArgs(files.alpha, db, home);
    const { first, second } = await overlapping(db, args, args);

    expect(second.code, second.stderr).toBe(1);
    expect(second.stderr).toMatch(/another import of/);
    expect(second.stderr).not.toMatch(/SQLITE_BUSY|database is locked|at .*\.js:\d+/);
    expect(second.stdout).toMatch(/"success": ?false/);

    expect((await first.exited).code, first.stderr()).toBe(0);
    await expectOnlyRun(db, files.alpha.generated, first.json());
  }, TEST_MS);

  it('the same file uploaded twice, by two `run` processes: the second is refused by its content', async () => {
    const db = freshDatabase(engine);
    const home = path.join(cwd, `run-home-${++n}`);
    const other = path.join(cwd, `run-home-${++n}`);
    const run = (h: string) => ['run', files.alpha.file, '--auto', '--database', db.url, ...BATCH, '--json', '--home', h];
    // Two homes: nothing shared but the database (two machines, or two users' folders).
    const { first, second } = await overlapping(db, run(home), run(other));

    expect(second.code, second.stderr).toBe(1);
    expect(second.stderr).toMatch(/another import of/);
    expect(second.stderr).not.toMatch(/SQLITE_BUSY|database is locked/);
    expect((await first.exited).code, first.stderr()).toBe(0);
    await expectOnlyRun(db, files.alpha.generated, first.json());
  }, TEST_MS);

  it('two different files at once: both succeed, every contact stored once, under its own import', async () => {
    const db = freshDatabase(engine);
    // Small batches: an import of 10,000 rows otherwise takes less time than a busy machine
    // may take to start the other process, and the two would never be seen running together.
    const small = (args: string[]) => [...args, '--batch-size', '25'];
    const a = spawnCli(small(importArgs(files.alpha, db, homeFor(files.alpha))), { cwd });
    const b = spawnCli(small(importArgs(files.beta, db, homeFor(files.beta))), { cwd });
    // They did run side by side: both unfinished, both past their first batch, at one moment.
    await until('both imports to be under way together', async () => {
      const running = await db.query("SELECT rows_done FROM contact_imports WHERE status = 'running'");
      return running.length === 2 && running.every((r) => Number(r.rows_done) > 0) ? true : undefined;
    }, a);
    const [ea, eb] = await Promise.all([a.exited, b.exited]);
    expect(ea.code, a.stderr()).toBe(0);
    expect(eb.code, b.stderr()).toBe(0);
    expect(a.stderr() + b.stderr()).not.toMatch(/SQLITE_BUSY|database is locked|deadlock/i);

    const sa = a.json();
    const sb = b.json();
    for (const [summary, file] of [[sa, files.alpha], [sb, files.beta]] as const) {
      expect(countsOf(summary)).toMatchObject({ totalRows: ROWS, imported: file.generated.uniqueEmails.length, updated: 0 });
    }
    const stored = await db.query('SELECT email, import_id FROM contacts');
    const expected = [...files.alpha.generated.uniqueEmails, ...files.beta.generated.uniqueEmails].sort();
    expect(stored.map((c) => c.email).sort()).toEqual(expected);
    for (const c of stored) expect(c.import_id).toBe(c.email.startsWith('alpha') ? sa.importId : sb.importId);
    const runs = await db.query('SELECT id, status FROM contact_imports ORDER BY id');
    expect(runs).toEqual([sa.importId, sb.importId].sort().map((id) => ({ id, status: 'completed' })));
  }, TEST_MS);

  it('two files sharing half their emails, at once: both succeed and each shared email is stored once', async () => {
    const db = freshDatabase(engine);
    const a = spawnCli(importArgs(files.alpha, db, homeFor(files.alpha)), { cwd });
    const g = spawnCli(importArgs(files.gamma, db, homeFor(files.gamma)), { cwd });
    const [ea, eg] = await Promise.all([a.exited, g.exited]);
    expect(ea.code, a.stderr()).toBe(0);
    expect(eg.code, g.stderr()).toBe(0);
    expect(a.stderr() + g.stderr()).not.toMatch(/SQLITE_BUSY|database is locked|deadlock/i);

    const union = new Set([...files.alpha.generated.uniqueEmails, ...files.gamma.generated.uniqueEmails]);
    const stored = await db.query('SELECT email FROM contacts');
    expect(stored.map((c) => c.email).sort()).toEqual([...union].sort());
    // Each shared email was inserted by exactly one of them; the other found it there (skip).
    const sa = a.json();
    const sg = g.json();
    expect(sa.imported + sg.imported).toBe(union.size);
    const shared = files.alpha.generated.uniqueEmails.length + files.gamma.generated.uniqueEmails.length - union.size;
    const inFile = files.alpha.generated.duplicateRows.length + files.gamma.generated.duplicateRows.length;
    expect(sa.duplicates + sg.duplicates).toBe(inFile + shared);
    for (const s of [sa, sg]) expect(s.imported + s.duplicates + s.invalid).toBe(ROWS);
  }, TEST_MS);

  it('the same contacts in opposite orders, both with --on-duplicate update, at once: no deadlock, each inserted once and updated once', async () => {
    const db = freshDatabase(engine);
    const update = ['--on-duplicate', 'update'];
    const a = spawnCli([...importArgs(files.alpha, db, homeFor(files.alpha)), ...update], { cwd });
    const r = spawnCli([...importArgs(files.reversed, db, homeFor(files.reversed)), ...update], { cwd });
    const [ea, er] = await Promise.all([a.exited, r.exited]);
    expect(ea.code, a.stderr()).toBe(0);
    expect(er.code, r.stderr()).toBe(0);
    expect(a.stderr() + r.stderr()).not.toMatch(/SQLITE_BUSY|database is locked|deadlock/i);

    const unique = files.alpha.generated.uniqueEmails;
    const stored = await db.query('SELECT email FROM contacts');
    expect(stored.map((c) => c.email).sort()).toEqual([...unique].sort());
    const sa = a.json();
    const sr = r.json();
    expect(countsOf(sr)).toMatchObject({ totalRows: ROWS, invalid: sa.invalid, duplicates: sa.duplicates });
    // Whichever met a contact first inserted it; the other updated it.
    expect(sa.imported + sr.imported).toBe(unique.length);
    expect(sa.updated + sr.updated).toBe(unique.length);
  }, TEST_MS);
});
