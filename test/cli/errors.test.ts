import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURES, runCli, scratchDir } from '../helpers/cli.js';

// Every bad input: one line on stderr, the right exit code, no stack trace, nothing half-written.

const scratch = scratchDir();
const cwd = scratch.dir;
afterAll(() => scratch.cleanup());
let n = 0;
const freshHome = () => ['--home', path.join(cwd, `home-${++n}`)];

function expectOneLineError(stderr: string, pattern: RegExp): void {
  const lines = stderr.trim().split('\n').filter((l) => !l.startsWith('(run with --help'));
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(stderr).not.toMatch(/\bat .+:\d+:\d+\)?$/m);
}

async function analyzed(file: string, home: string[]): Promise<string> {
  const result = await runCli(['analyze', path.join(FIXTURES, file), '--json', ...home], { cwd });
  expect(result.code, result.stderr).toBe(0);
  return result.json().fileId;
}

describe('usage errors exit 2', () => {
  it('unknown option', async () => {
    const result = await runCli(['import', '--file-id', 'x', '--frobnicate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown option '--frobnicate'/);
  });

  it('unknown fileId, with --json giving an error document', async () => {
    const result = await runCli(['preview', '--file-id', 'file_00000000-0000-0000-0000-000000000000', '--json', ...freshHome()], { cwd });
    expect(result.code).toBe(2);
    expectOneLineError(result.stderr, /unknown or expired fileId .*upload the file again/);
    expect(result.json()).toMatchObject({ success: false, error: { code: 'NOT_FOUND' } });
  });

  it('a path-like fileId is just unknown', async () => {
    const result = await runCli(['status', '../../etc/passwd', ...freshHome()], { cwd });
    expect(result.code).toBe(2);
    expectOneLineError(result.stderr, /unknown or expired fileId/);
  });

  it('map without a terminal and without flags asks for flags', async () => {
    const home = freshHome();
    const fileId = await analyzed('contacts.csv', home);
    const result = await runCli(['map', '--file-id', fileId, ...home], { cwd });
    expect(result.code).toBe(2);
    expectOneLineError(result.stderr, /needs a terminal.*--auto.*--mapping/);
  });

  it('a mapping without required fields, or with two columns on one field', async () => {
    const home = freshHome();
    const fileId = await analyzed('contacts.csv', home);
    const missing = await runCli(['map', '--file-id', fileId, '--set', 'Email Address=email', ...home], { cwd });
    expect(missing.code).toBe(2);
    expectOneLineError(missing.stderr, /First Name|firstName/);
    const mappingFile = path.join(cwd, 'double.json');
    fs.writeFileSync(mappingFile, JSON.stringify({ 'Email Address': 'email', 'First Name': 'firstName', 'Last Name': 'firstName' }));
    const twice = await runCli(['map', '--file-id', fileId, '--mapping', mappingFile, ...home], { cwd });
    expect(twice.code).toBe(2);
    expectOneLineError(twice.stderr, /First Name.*Last Name|Last Name.*First Name/);
    const unknown = await runCli(['map', '--file-id', fileId, '--auto', '--set', 'Notes=birthday', ...home], { cwd });
    expect(unknown.code).toBe(2);
    expectOneLineError(unknown.stderr, /birthday/);
  });

  it('import before map says to map first', async () => {
    const home = freshHome();
    const fileId = await analyzed('contacts.csv', home);
    const result = await runCli(['import', '--file-id', fileId, ...home], { cwd });
    expect(result.code).toBe(2);
    expectOneLineError(result.stderr, /no column mapping.*contact-import map/);
  });
});

describe('bad files exit 2 and store nothing', () => {
  it('a PNG renamed .csv', async () => {
    const home = freshHome();
    const result = await runCli(['upload', path.join(FIXTURES, 'picture.csv'), ...home], { cwd });
    expect(result.code).toBe(2);
    expectOneLineError(result.stderr, /not a spreadsheet/);
    expect(fs.existsSync(path.join(home[1], 'uploads')) ? fs.readdirSync(path.join(home[1], 'uploads')) : []).toEqual([]);
  });

  it('over MAX_FILE_SIZE_MB, from a path and from stdin', async () => {
    const home = freshHome();
    const env = { MAX_FILE_SIZE_MB: '0.0005' }; // 524 bytes; contacts.csv is larger
    const fromPath = await runCli(['upload', path.join(FIXTURES, 'contacts.csv'), ...home], { cwd, env });
    expect(fromPath.code).toBe(2);
    expectOneLineError(fromPath.stderr, /larger than .* MB.*MAX_FILE_SIZE_MB/);
    const fromStdin = await runCli(['upload', '-', '--filename', 'c.csv', ...home], { cwd, env, input: fs.readFileSync(path.join(FIXTURES, 'contacts.csv')) });
    expect(fromStdin.code).toBe(2);
    expectOneLineError(fromStdin.stderr, /larger than/);
    const uploads = path.join(home[1], 'uploads');
    expect(fs.existsSync(uploads) ? fs.readdirSync(uploads) : []).toEqual([]);
  });

  it('a missing file', async () => {
    const result = await runCli(['upload', path.join(cwd, 'nope.csv'), ...freshHome()], { cwd });
    expect(result.code).toBe(2);
    expectOneLineError(result.stderr, /file not found/);
  });

  it('over MAX_ROWS_ALLOWED', async () => {
    const home = freshHome();
    const result = await runCli(['analyze', path.join(FIXTURES, 'contacts.csv'), ...home], { cwd, env: { MAX_ROWS_ALLOWED: '5' } });
    expect(result.code).toBe(2);
    expectOneLineError(result.stderr, /more than 5 rows/);
  });
});

describe('--max-invalid', () => {
  it('aborts with exit 3 and writes nothing', async () => {
    const home = freshHome();
    const fileId = await analyzed('contacts.csv', home);
    await runCli(['map', '--file-id', fileId, '--auto', ...home], { cwd });
    const db = path.join(cwd, 'max-invalid.db');
    const result = await runCli(['import', '--file-id', fileId, '--database', `sqlite:${db}`, '--max-invalid', '2', ...home], { cwd });
    expect(result.code).toBe(3);
    expectOneLineError(result.stderr, /3 of 12 rows are invalid.*nothing was written/);
    expect(fs.existsSync(db)).toBe(false);
    const ok = await runCli(['import', '--file-id', fileId, '--database', `sqlite:${db}`, '--max-invalid', '25%', '--json', ...home], { cwd });
    expect(ok.code, ok.stderr).toBe(0);
    const count = new Database(db, { readonly: true }).prepare('SELECT count(*) AS n FROM contacts').get() as { n: number };
    expect(count.n).toBe(8);
  });
});
