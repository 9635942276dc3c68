// What the tool writes on a shared host: results files that never replace the input, the
// database or an upload; a full disk that ends as one clear error and a resumable run; and a
// home (and database) only its owner can read, whatever the umask.
import Database from 'better-sqlite3';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, FIXTURES, runCli, scratchDir } from '../helpers/cli.js';
import { readResultsCsv } from '../helpers/import-runs.js';

const scratch = scratchDir('ci-security-files-');
const cwd = scratch.dir;
let n = 0;
const noRedis = { REDIS_URL: undefined };

/** One error line on stderr, no stack trace. */
function expectOneLineError(stderr: string, pattern: RegExp): void {
  const lines = stderr.trim().split('\n');
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(stderr).not.toMatch(/\bat .+:\d+:\d+\)?$/m);
}

function importRuns(db: string): Array<{ status: string }> {
  const handle = new Database(db, { readonly: true });
  try {
    return handle.prepare('SELECT status FROM contact_imports').all() as Array<{ status: string }>;
  } finally {
    handle.close();
  }
}

describe('results files never replace what the import reads or writes', () => {
  const input = path.join(cwd, 'input.csv');
  fs.copyFileSync(path.join(FIXTURES, 'contacts.csv'), input);
  const original = fs.readFileSync(input);
  const db = path.join(cwd, 'kept.db');
  const home = path.join(cwd, 'home-paths');
  const link = path.join(cwd, 'link-to-cwd');
  fs.symlinkSync(cwd, link);

  const refusedRun = (outputs: string[]) =>
    runCli(['run', input, '--auto', '--database', `sqlite:${db}`, ...outputs, '--json', '--home', home], { cwd, env: noRedis });

  it('an import to refuse into starts from a real database', async () => {
    const result = await runCli(['run', input, '--auto', '--database', `sqlite:${db}`, '--json', '--home', home], { cwd, env: noRedis });
    expect(result.code, result.stderr).toBe(0);
  });

  it.each([
    ['the input file', ['--errors-out', 'input.csv'], /rows to input\.csv: it is the input file/],
    ['the input file, through a symlinked folder', ['--imported-out', path.join('link-to-cwd', 'input.csv')], /the input file/],
    ['the SQLite database', ['--errors-out', db], /the SQLite database/],
    ['the database through a symlinked folder', ['--errors-out', path.join(link, 'kept.db')], /the SQLite database/],
    ["the database's -wal file", ['--imported-out', `${db}-wal`], /wal file/],
    ["the database's -journal file", ['--errors-out', `${db}-journal`], /journal file/],
    ['a file in the uploads folder', ['--errors-out', path.join(home, 'uploads', 'x.csv')], /inside the uploads folder/],
    ['the same file twice', ['--errors-out', 'out.csv', '--imported-out', path.join(link, 'out.csv')], /also the path for the rejected rows/],
  ])('refuses %s before anything is written (exit 2)', async (_what, outputs, pattern) => {
    const uploadsBefore = fs.readdirSync(path.join(home, 'uploads')).length;
    const result = await refusedRun(outputs);
    expect(result.code, result.stderr).toBe(2);
    expectOneLineError(result.stderr, /^error: refusing to write the (rejected|imported) rows to /);
    expect(result.stderr).toMatch(pattern);
    expect(result.stderr).toMatch(/choose another path for --(errors|imported)-out/);
    expect(result.json()).toMatchObject({ success: false, error: { code: 'USAGE' } });
    expect(fs.readFileSync(input).equals(original)).toBe(true);
    expect(importRuns(db)).toEqual([{ status: 'completed' }]);
    // Refused before the upload: no new copy of the file.
    expect(fs.readdirSync(path.join(home, 'uploads'))).toHaveLength(uploadsBefore);
    expect(fs.existsSync(path.join(cwd, 'out.csv'))).toBe(false);
  });
});

/** A 64 KB tmpfs, so a report really runs out of disk; needs root (the CI runs as root). */
function mountTinyDisk(dir: string): boolean {
  fs.mkdirSync(dir);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('a disk that fills up while a report is written', () => {
  const disk = path.join(cwd, 'tiny-disk');
  const mounted = mountTinyDisk(disk);
  afterAll(() => {
    if (mounted) execFileSync('umount', [disk]);
  });
  // 1000 valid rows among 3000 rejected ones: the report (~300 KB) cannot fit.
  const lines = ['Email,First Name'];
  for (let i = 1; i <= 4000; i++) lines.push(i % 4 === 0 ? `person${i}@example.com,Name ${i}` : `not-an-email-${i}-${'x'.repeat(40)},Name ${i}`);
  const input = path.join(cwd, 'many-rejected.csv');
  fs.writeFileSync(input, `${lines.join('\n')}\n`);

  async function expectFullDiskFailure(db: string, args: string[]): Promise<void> {
    const result = await runCli(['run', input, '--auto', '--database', `sqlite:${db}`, '--batch-size', '250', ...args, '--json'], { cwd, env: noRedis });
    expect(result.code, result.stderr).toBe(1);
    expectOneLineError(result.stderr, /^error: cannot write .*tiny-disk.*ENOSPC: no space left on device.*run the same import again/);
    expect(result.json()).toMatchObject({ success: false, error: { code: 'IO', message: expect.stringMatching(/no space left on device/) } });
    expect(importRuns(db)).toEqual([{ status: 'failed' }]);
  }

  it.skipIf(!mounted)('ends as one IO error, the run failed and resumable, no temporary file left', async () => {
    const db = path.join(cwd, `full-${++n}.db`);
    const home = ['--home', path.join(cwd, `home-full-${n}`)];
    await expectFullDiskFailure(db, ['--errors-out', path.join(disk, 'rejected.csv'), ...home]);
    expect(fs.readdirSync(disk)).toEqual([]);

    const report = path.join(cwd, `rejected-${n}.csv`);
    const resumed = await runCli(['run', input, '--auto', '--database', `sqlite:${db}`, '--errors-out', report, '--json', ...home], { cwd, env: noRedis });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.json()).toMatchObject({ success: true, imported: 1000, invalid: 3000, resumedFrom: expect.any(Number) });
    expect(readResultsCsv(report).records).toHaveLength(3000);
    expect(importRuns(db)).toEqual([{ status: 'completed' }]);
  });

  it.skipIf(!mounted)('the same when the disk is already full and the report small', async () => {
    const filler = path.join(disk, 'filler');
    spawnSync('dd', ['if=/dev/zero', `of=${filler}`, 'bs=4k'], { stdio: 'ignore' });
    try {
      const small = path.join(cwd, 'few-rejected.csv');
      fs.writeFileSync(small, 'Email,First Name\nann@example.com,Ann\nnot-an-email,Bo\n');
      const db = path.join(cwd, `full-${++n}.db`);
      const result = await runCli(['run', small, '--auto', '--database', `sqlite:${db}`, '--errors-out', path.join(disk, 'r.csv'), '--json', '--home', path.join(cwd, `home-full-${n}`)], {
        cwd,
        env: noRedis,
      });
      expect(result.code, result.stderr).toBe(1);
      expectOneLineError(result.stderr, /^error: cannot write .*r\.csv: ENOSPC/);
      expect(result.json()).toMatchObject({ success: false, error: { code: 'IO' } });
      expect(importRuns(db)).toEqual([{ status: 'failed' }]);
      expect(fs.readdirSync(disk)).toEqual(['filler']);
    } finally {
      fs.rmSync(filler, { force: true });
    }
  });
});

/** The built CLI under umask 022, the usual default that makes new files world-readable. */
function runUnderUmask022(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync('/bin/sh', ['-c', 'umask 022 && exec "$@"', 'sh', process.execPath, BIN, ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: '1', CI: 'true', REDIS_URL: '' },
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Every folder and file under `dir`, with its permission bits. */
function modesUnder(dir: string): Array<[string, string]> {
  const found: Array<[string, string]> = [[path.basename(dir), (fs.statSync(dir).mode & 0o777).toString(8)]];
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const full = path.join(entry.parentPath, entry.name);
    found.push([path.relative(path.dirname(dir), full), (fs.lstatSync(full).mode & 0o777).toString(8)]);
  }
  return found;
}

describe('contact data is private to its owner', () => {
  it('creates the home, its folders and files, the results files and a new SQLite database owner-only', () => {
    const home = path.join(cwd, 'private', 'home');
    const dbDir = path.join(cwd, 'private-db');
    fs.mkdirSync(dbDir);
    const db = path.join(dbDir, 'contacts.db');
    const input = path.join(FIXTURES, 'contacts.csv');

    const analyzed = runUnderUmask022(['analyze', input, '--json', '--home', home]);
    expect(analyzed.code, analyzed.stderr).toBe(0);
    const { fileId } = JSON.parse(analyzed.stdout);
    const mapped = runUnderUmask022(['map', '--file-id', fileId, '--auto', '--save-template', 'crm', '--home', home]);
    expect(mapped.code, mapped.stderr).toBe(0);
    const imported = path.join(cwd, 'private-out', 'imported.csv');
    const ran = runUnderUmask022(['run', input, '--auto', '--keep-upload', '--database', `sqlite:${db}`, '--imported-out', imported, '--json', '--home', home]);
    expect(ran.code, ran.stderr).toBe(0);
    expect(JSON.parse(ran.stdout).errorReport).toContain(path.join(home, 'results'));

    const modes = modesUnder(path.join(cwd, 'private'));
    // Each kind of thing is there, so the check below covers it.
    for (const part of ['uploads', 'state', 'templates', 'results']) expect(modes.map(([p]) => p)).toContain(path.join('private', 'home', part));
    expect(modes.filter(([p]) => p.startsWith(path.join('private', 'home', 'uploads', ''))).length).toBeGreaterThanOrEqual(2);
    expect(modes.filter(([p]) => p.startsWith(path.join('private', 'home', 'state', ''))).length).toBeGreaterThanOrEqual(1);
    for (const [entry, mode] of modes) {
      const isDir = fs.statSync(path.join(cwd, entry)).isDirectory();
      expect([entry, mode]).toEqual([entry, isDir ? '700' : '600']);
    }
    expect((fs.statSync(path.dirname(imported)).mode & 0o777).toString(8)).toBe('700');
    expect((fs.statSync(imported).mode & 0o777).toString(8)).toBe('600');
    // The database and whatever SQLite left beside it (-wal, -shm).
    const dbFiles = fs.readdirSync(dbDir);
    expect(dbFiles).toContain('contacts.db');
    for (const name of dbFiles) expect([name, (fs.statSync(path.join(dbDir, name)).mode & 0o777).toString(8)]).toEqual([name, '600']);
  });
});

afterAll(() => scratch.cleanup());
