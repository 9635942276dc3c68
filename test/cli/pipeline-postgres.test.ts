// The CLI against PostgreSQL. Every scenario runs twice, against SQLite and against
// PostgreSQL (a fresh file / a fresh schema each), and both runs must print the same JSON and
// leave the same rows. What those values are is pinned for SQLite in pipeline.test.ts and
// import-options.test.ts, so nothing is restated here.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openContactStore } from '../../src/db/open-contact-store.js';
import { FIXTURES, runCli, scratchDir, type CliResult } from '../helpers/cli.js';
import { comparable, ENGINES, POSTGRES, POSTGRES_URL, type Row, type TestDatabase, type TestEngine } from '../helpers/databases.js';

const scratch = scratchDir();
const cwd = scratch.dir;
const databases: TestDatabase[] = [];
afterAll(async () => {
  for (const db of databases) await db.drop();
  scratch.cleanup();
});
let n = 0;
const freshHome = () => ['--home', path.join(cwd, `home-${++n}`)];
const contactsCsv = path.join(FIXTURES, 'contacts.csv');

/** What one engine's run of a scenario printed and left behind. */
interface Outcome {
  outputs: unknown[];
  contacts: Row[] | null;
  runs: Row[] | null;
}

/**
 * Runs `scenario` on a fresh SQLite database and a fresh PostgreSQL schema, expects the same
 * outcome from both, and returns it. A scenario returns what it wants compared (JSON bodies,
 * exit codes, …); the database contents are added here.
 */
async function onBothEngines(name: string, scenario: (db: TestDatabase, engine: TestEngine) => Promise<unknown[]>): Promise<Outcome> {
  const outcomes: Outcome[] = [];
  for (const engine of ENGINES) {
    const db = engine.create(cwd, `${name}-${engine.name}`);
    databases.push(db);
    const outputs = await scenario(db, engine);
    outcomes.push({ outputs, ...(await contents(db)) });
  }
  const [sqlite, postgres] = outcomes;
  expect(postgres).toEqual(sqlite);
  return sqlite!;
}

/** Stored rows without what differs from run to run (ids, timestamps, file ids). */
async function contents(db: TestDatabase): Promise<Pick<Outcome, 'contacts' | 'runs'>> {
  if (!(await db.exists())) return { contacts: null, runs: null };
  const contacts = await db.query('SELECT * FROM contacts ORDER BY id');
  const runs = await db.query('SELECT * FROM contact_imports ORDER BY started_at');
  return {
    // Ordered by id, so the order of insertion is compared; the ids themselves are not, as
    // PostgreSQL spends an id on every row ON CONFLICT finds already there.
    contacts: comparable(contacts),
    runs: runs.map(({ id: _id, file_id: _f, started_at: _s, finished_at: _e, heartbeat_at: _h, owner: _o, ...rest }) => rest),
  };
}

/** A --json body without what differs from run to run. */
function body(result: CliResult): Row {
  if (result.code !== 0) {
    expect(result.stderr.trim().split('\n')).toHaveLength(1); // one clear line
    return { code: result.code };
  }
  const { importId: _i, fileId: _f, errorReport: _e, ...rest } = result.json();
  return { code: 0, ...rest };
}

async function mapped(home: string[]): Promise<string> {
  const analyzed = await runCli(['analyze', contactsCsv, '--json', ...home], { cwd });
  expect(analyzed.code, analyzed.stderr).toBe(0);
  const fileId = analyzed.json().fileId;
  const map = await runCli(['map', '--file-id', fileId, '--auto', ...home], { cwd });
  expect(map.code, map.stderr).toBe(0);
  return fileId;
}

// Each test spawns the CLI up to ten times; give that room on a busy two-core runner.
describe('SQLite and PostgreSQL give the same results', { timeout: 120_000 }, () => {
  it('upload → analyze → map → import through DATABASE_URL, with an error report', async () => {
    const outcome = await onBothEngines('flow', async (db) => {
      const home = freshHome();
      const fileId = await mapped(home);
      const report = path.join(cwd, `rejected-${db.engine}.csv`);
      const env = { DATABASE_URL: db.url };
      const result = await runCli(['import', '--file-id', fileId, '--errors-out', report, '--json', ...home], { cwd, env });
      expect(result.code, result.stderr).toBe(0);
      return [body(result), fs.readFileSync(report, 'utf8')];
    });
    expect(outcome.outputs[0]).toMatchObject({ imported: 8, skipped: 4 });
    expect(outcome.contacts).toHaveLength(8);
  });

  it('--exclude-rows', async () => {
    const outcome = await onBothEngines('exclude', async (db) => [
      body(await runCli(['run', contactsCsv, '--auto', '--database', db.url, '--exclude-rows', '1,2,10-11', '--json', ...freshHome()], { cwd })),
    ]);
    expect(outcome.outputs[0]).toMatchObject({ imported: 5, excluded: 4 });
  });

  it('--dry-run: real counts, nothing created, nothing changed', async () => {
    const changed = path.join(cwd, 'dry-update.csv');
    fs.writeFileSync(changed, 'Email,First Name,Company\nbob@example.com,Robert,\nnew@example.com,New,NewCo\n');
    const outcome = await onBothEngines('dry', async (db) => {
      const run = (...args: string[]) => runCli(['run', ...args, '--auto', '--database', db.url, '--json', ...freshHome()], { cwd });
      const dry = await run(contactsCsv, '--dry-run');
      const createdByDryRun = await db.exists();
      const real = await run(contactsCsv);
      const before = await contents(db);
      const dryUpdate = await run(changed, '--on-duplicate', 'update', '--dry-run');
      expect(await contents(db)).toEqual(before);
      return [body(dry), createdByDryRun, body(real), body(dryUpdate)];
    });
    expect(outcome.outputs).toMatchObject([{ imported: 8, dryRun: true }, false, { imported: 8 }, { imported: 1, updated: 1, dryRun: true }]);
    expect(outcome.runs).toHaveLength(1);
  });

  it('--on-duplicate skip and update against existing contacts', async () => {
    const changed = path.join(cwd, 'changed.csv');
    fs.writeFileSync(changed, 'Email,First Name,Company,City\nBOB@example.com,Robert,,\nnew@example.com,New,NewCo,"Zürich\n(HQ)"\n');
    const outcome = await onBothEngines('dupes', async (db) => {
      const run = async (...extra: string[]) =>
        body(await runCli(['run', ...extra, '--auto', '--database', db.url, '--json', ...freshHome()], { cwd }));
      return [await run(contactsCsv), await run(changed), await run(changed, '--on-duplicate', 'update')];
    });
    expect(outcome.outputs).toMatchObject([{ imported: 8 }, { imported: 1, duplicates: 1 }, { imported: 0, updated: 2 }]);
    expect(outcome.contacts!.find((c) => c.email === 'bob@example.com')).toMatchObject({ first_name: 'Robert', company: 'Globex' });
    expect(outcome.runs).toHaveLength(3);
  });

  it('a batch the database refuses: exit 1 naming the rows, earlier batches kept, the run recorded as failed', async () => {
    const refuse: Record<string, string> = {
      sqlite: "CREATE TRIGGER boom BEFORE INSERT ON contacts WHEN NEW.city = '北京' BEGIN SELECT RAISE(ABORT, 'no contacts from 北京'); END",
      postgres: "ALTER TABLE contacts ADD CONSTRAINT boom CHECK (city IS DISTINCT FROM '北京')",
    };
    const outcome = await onBothEngines('refused', async (db, engine) => {
      await (await openContactStore(db.url)).close();
      await db.exec(refuse[engine.name]!);
      const result = await runCli(['run', contactsCsv, '--auto', '--database', db.url, '--batch-size', '2', ...freshHome()], { cwd });
      expect(result.stderr).toMatch(/cannot write contacts \(rows 3–7\) to table /);
      return [body(result)];
    });
    expect(outcome.outputs).toEqual([{ code: 1 }]);
    expect(outcome.contacts!.map((c) => c.email)).toEqual(['ana.garcia@example.com', 'bob@example.com']);
    expect(outcome.runs).toMatchObject([{ status: 'failed', imported: 2 }]);
  });
});

describe('PostgreSQL options', () => {
  it('--schema overrides the URL and search_path', async () => {
    const db = POSTGRES.create(cwd);
    databases.push(db);
    const result = await runCli(['run', contactsCsv, '--auto', '--database', POSTGRES_URL, '--schema', db.schema!, '--json', ...freshHome()], { cwd });
    expect(result.code, result.stderr).toBe(0);
    expect(await db.query('SELECT count(*)::int AS n FROM contacts')).toEqual([{ n: 8 }]);
  });

  it('an unreachable server: exit 1, one line, no password, no hang', async () => {
    const started = Date.now();
    const result = await runCli(['run', contactsCsv, '--auto', '--database', 'postgres://app:s3cret@127.0.0.1:1/crm', ...freshHome()], { cwd });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/cannot connect to PostgreSQL at app@127\.0\.0\.1:1\/crm: connection refused/);
    expect(result.stderr).not.toContain('s3cret');
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('--schema with a SQLite database is a usage error', async () => {
    const result = await runCli(['run', contactsCsv, '--auto', '--database', `sqlite:${path.join(cwd, 'x.db')}`, '--schema', 'crm', ...freshHome()], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--schema applies to PostgreSQL only/);
  });
});
