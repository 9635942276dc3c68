import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURES, runCli, scratchDir } from '../helpers/cli.js';

const scratch = scratchDir();
const cwd = scratch.dir;
afterAll(() => scratch.cleanup());
let n = 0;
const freshHome = () => ['--home', path.join(cwd, `home-${++n}`)];
const contactsCsv = path.join(FIXTURES, 'contacts.csv');

async function mapped(home: string[], file = contactsCsv): Promise<string> {
  const analyzed = await runCli(['analyze', file, '--json', ...home], { cwd });
  expect(analyzed.code, analyzed.stderr).toBe(0);
  const fileId = analyzed.json().fileId;
  const map = await runCli(['map', '--file-id', fileId, '--auto', ...home], { cwd });
  expect(map.code, map.stderr).toBe(0);
  return fileId;
}

function query<T>(db: string, sql: string): T[] {
  const conn = new Database(db, { readonly: true });
  try {
    return conn.prepare(sql).all() as T[];
  } finally {
    conn.close();
  }
}

describe('import options', () => {
  it('--exclude-rows leaves rows out and counts them', async () => {
    const home = freshHome();
    const fileId = await mapped(home);
    const db = path.join(cwd, 'exclude.db');
    const result = await runCli(['import', '--file-id', fileId, '--database', `sqlite:${db}`, '--exclude-rows', '1,2,10-11', '--json', ...home], { cwd });
    expect(result.code, result.stderr).toBe(0);
    // Row 6 (Ana again) becomes the first occurrence once row 1 is excluded.
    expect(result.json()).toMatchObject({ imported: 5, excluded: 4, invalid: 3, duplicates: 0, skipped: 7 });
    const emails = query<{ email: string }>(db, 'SELECT email FROM contacts').map((r) => r.email);
    expect(emails).not.toContain('bob@example.com');
    expect(emails).toContain('ana.garcia@example.com');
  });

  it('--dry-run counts for real and commits nothing; the session stays for the real run', async () => {
    const home = freshHome();
    const fileId = await mapped(home);
    const db = path.join(cwd, 'dry.db');
    const dry = await runCli(['import', '--file-id', fileId, '--database', `sqlite:${db}`, '--dry-run', '--json', ...home], { cwd });
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.json()).toMatchObject({ imported: 8, dryRun: true });
    // Not even the database file is created.
    expect(fs.existsSync(db)).toBe(false);
    const real = await runCli(['import', '--file-id', fileId, '--database', `sqlite:${db}`, '--json', ...home], { cwd });
    expect(real.json()).toMatchObject({ imported: 8 });
    expect(query(db, 'SELECT * FROM contacts')).toHaveLength(8);

    // Against an existing database: real outcomes, nothing changed.
    const home2 = freshHome();
    const changed = path.join(cwd, 'dry-update.csv');
    fs.writeFileSync(changed, 'Email,First Name\nbob@example.com,Robert\nnew@example.com,New\n');
    const before = query(db, 'SELECT * FROM contacts ORDER BY id');
    const dryUpdate = await runCli(['run', changed, '--auto', '--database', `sqlite:${db}`, '--on-duplicate', 'update', '--dry-run', '--json', ...home2], { cwd });
    expect(dryUpdate.json()).toMatchObject({ imported: 1, updated: 1, dryRun: true });
    expect(query(db, 'SELECT * FROM contacts ORDER BY id')).toEqual(before);
    expect(query(db, 'SELECT * FROM contact_imports')).toHaveLength(1);
  });

  it('--on-duplicate skip (default) and update against existing contacts', async () => {
    const db = path.join(cwd, 'dupes.db');
    const first = await runCli(['run', contactsCsv, '--auto', '--database', `sqlite:${db}`, '--json', ...freshHome()], { cwd });
    expect(first.json()).toMatchObject({ imported: 8 });

    const changed = path.join(cwd, 'changed.csv');
    fs.writeFileSync(changed, 'Email,First Name,Company\nBOB@example.com,Robert,\nnew@example.com,New,NewCo\n');
    const skip = await runCli(['run', changed, '--auto', '--database', `sqlite:${db}`, '--json', ...freshHome()], { cwd });
    expect(skip.json()).toMatchObject({ imported: 1, updated: 0, duplicates: 1, skipped: 1 });
    expect(skip.json().errors[0]).toMatchObject({ row: 1, message: expect.stringMatching(/already in the database/) });
    expect(query<any>(db, "SELECT first_name FROM contacts WHERE email='bob@example.com'")[0].first_name).toBe('Bob');

    const update = await runCli(['run', changed, '--auto', '--database', `sqlite:${db}`, '--on-duplicate', 'update', '--json', ...freshHome()], { cwd });
    expect(update.json()).toMatchObject({ imported: 0, updated: 2, duplicates: 0 });
    const bob = query<any>(db, "SELECT * FROM contacts WHERE email='bob@example.com'")[0];
    // Non-empty fields overwrite; the empty Company leaves Globex alone.
    expect(bob).toMatchObject({ first_name: 'Robert', company: 'Globex' });
    expect(query(db, 'SELECT * FROM contact_imports')).toHaveLength(3);
  });

  it('run reads standard input and deletes its stored copy after success', async () => {
    const home = freshHome();
    const db = path.join(cwd, 'stdin.db');
    const result = await runCli(['run', '-', '--filename', 'piped.csv', '--auto', '--database', `sqlite:${db}`, '--json', ...home], {
      cwd,
      input: fs.readFileSync(contactsCsv),
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.json()).toMatchObject({ imported: 8, fileId: expect.stringMatching(/^file_/) });
    expect(fs.readdirSync(path.join(home[1], 'uploads'))).toEqual([]);
  });

  it('run without a mapping choice is a usage error', async () => {
    const result = await runCli(['run', contactsCsv, ...freshHome()], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--auto, --mapping FILE.json or --template NAME/);
  });

  it('templates: --save-template then --template on another file', async () => {
    const home = freshHome();
    const analyzed = await runCli(['analyze', contactsCsv, '--json', ...home], { cwd });
    const fileId = analyzed.json().fileId;
    const saved = await runCli(['map', '--file-id', fileId, '--mapping', path.join(FIXTURES, 'mapping.json'), '--set', 'Notes=skip', '--save-template', 'crm', '--json', ...home], { cwd });
    expect(saved.code, saved.stderr).toBe(0);
    expect(saved.json().mapping.Notes).toBeUndefined();
    const db = path.join(cwd, 'template.db');
    const result = await runCli(['run', contactsCsv, '--template', 'crm', '--database', `sqlite:${db}`, '--json', ...home], { cwd });
    expect(result.code, result.stderr).toBe(0);
    expect(query<any>(db, "SELECT notes FROM contacts WHERE email='emil@example.de'")[0].notes).toBeNull();
    const missing = await runCli(['run', contactsCsv, '--template', 'nope', ...home], { cwd });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no mapping template named "nope".*crm/);
  });

  it('upload prints the bare fileId on stdout for scripts', async () => {
    const result = await runCli(['upload', contactsCsv, ...freshHome()], { cwd });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^file_[0-9a-f-]{36}\n$/);
    expect(result.stderr).toMatch(/Uploaded contacts\.csv/);
  });
});
