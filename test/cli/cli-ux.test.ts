import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pty from 'node-pty';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, FIXTURES, runCli, scratchDir } from '../helpers/cli.js';
import { stripAnsi } from '../helpers/terminal.js';

// Issue 15 (the CLI as people use it) and 14.9 / 14.10 (nothing left behind, no symlink
// followed), each against the built binary; a pseudo-terminal where a TTY matters.

const scratch = scratchDir('ci-ux-');
const cwd = scratch.dir;
const homeDir = path.join(cwd, 'home');
const home = ['--home', homeDir];
const CSV = path.join(FIXTURES, 'contacts.csv');
afterAll(() => scratch.cleanup());

const cli = (args: string[], input?: string) => runCli([...args, ...home], { cwd, input });
const uploads = () => (fs.existsSync(path.join(homeDir, 'uploads')) ? fs.readdirSync(path.join(homeDir, 'uploads')) : []);

async function mappedFileId(): Promise<string> {
  const fileId = (await cli(['analyze', CSV, '--json'])).json().fileId as string;
  expect((await cli(['map', '--file-id', fileId, '--auto'])).code).toBe(0);
  return fileId;
}

/** The CLI on a pseudo-terminal of `cols` columns, run through sh so stdin can be a pipe. */
function shellOnTerminal(command: string, cols = 100): Promise<string> {
  const env = { ...process.env, NO_COLOR: '1' } as Record<string, string>;
  delete env.CI;
  const term = pty.spawn('/bin/sh', ['-c', command], { cols, rows: 40, cwd, env });
  let screen = '';
  term.onData((d) => (screen += d));
  return new Promise((resolve) => term.onExit(() => resolve(screen)));
}
const bin = `"${process.execPath}" "${BIN}" --home "${homeDir}"`;

describe('15.1 results on stdout, the rest on stderr', () => {
  it('analyze, preview and history print their result on stdout; hints and the page line on stderr', async () => {
    const analyzed = await cli(['analyze', CSV]);
    expect(analyzed.code).toBe(0);
    expect(analyzed.stdout).toMatch(/12 rows: 9 valid/);
    expect(analyzed.stdout).toMatch(/Email Address/);
    const fileId = /fileId: (file_\S+)/.exec(analyzed.stdout)![1];
    expect(analyzed.stderr).toMatch(/next: contact-import map/);
    expect(analyzed.stderr).not.toMatch(/Email Address/);

    const page = await cli(['preview', '--file-id', fileId]);
    expect(page.stdout).toMatch(/ana\.garcia@example\.com/);
    expect(page.stderr).toMatch(/page 1 of 1 · 12 rows/);
    expect(page.stderr).not.toMatch(/ana\.garcia/);

    await cli(['map', '--file-id', fileId, '--auto']);
    const db = `sqlite:${path.join(cwd, 'out.db')}`;
    const imported = await cli(['import', '--file-id', fileId, '--database', db]);
    expect(imported.stdout).toMatch(/imported\s+8/);
    const history = await cli(['history', '--database', db]);
    expect(history.stdout.trim().split('\n').length).toBeGreaterThan(2);
    expect(history.stdout).toMatch(/contacts\.csv/);
    // --json unchanged: one document, nothing else on stdout.
    const json = await cli(['history', '--database', db, '--json']);
    expect(json.json().imports).toHaveLength(1);
  });
});

describe('15.2 preview fits the terminal', () => {
  it('no line wider than 100 columns, cut with …; --columns and --vertical', async () => {
    const fileId = await mappedFileId();
    const screen = stripAnsi(await shellOnTerminal(`${bin} preview --file-id ${fileId}`, 100));
    const lines = screen.split(/\r?\n/).filter((l) => l.includes('│'));
    expect(lines.length).toBeGreaterThan(12);
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(100);
    expect(screen).toMatch(/…/);

    const some = await cli(['preview', '--file-id', fileId, '--columns', 'email,phone']);
    expect(some.code, some.stderr).toBe(0);
    expect(some.stdout).toMatch(/│ Row\s*│ Status\s*│ email\s*│ phone\s*│ Problems/);
    expect(some.stdout).not.toMatch(/firstName/);
    const bad = await cli(['preview', '--file-id', fileId, '--columns', 'email,nope']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/"nope" is not a mapped field.*mapped fields: email, firstName/);

    const vertical = await cli(['preview', '--file-id', fileId, '--vertical', '--page-size', '2']);
    expect(vertical.stdout).toMatch(/-\[ RECORD 1 \]/);
    expect(vertical.stdout).toMatch(/^email\s+\| ana\.garcia@example\.com$/m);
    expect(vertical.stdout).toMatch(/-\[ RECORD 2 \]/);
  });
});

describe('15.3 preview --invalid-only shows every row import rejects', () => {
  it('4 rows, as import rejects: the duplicate too', async () => {
    const fileId = await mappedFileId();
    const page = await cli(['preview', '--file-id', fileId, '--invalid-only', '--json']);
    expect(page.json().rows.map((r: { _rowIndex: number }) => r._rowIndex)).toEqual([4, 5, 6, 8]);
    const db = `sqlite:${path.join(cwd, 'invalid-only.db')}`;
    expect((await cli(['import', '--file-id', fileId, '--database', db, '--json'])).json().skipped).toBe(4);
  });
});

describe('15.4 upload progress in MB and MB/s', () => {
  const big = path.join(cwd, 'big.csv');
  it('a bar with MB/s for a file, a spinner with bytes for standard input', async () => {
    const row = 'someone{n}@example.com,First,Last,+14155550100,Company,Title,City,94105,a note that fills\n';
    const lines = ['Email,First Name,Last Name,Phone,Company,Title,City,Zip,Notes'];
    for (let n = 0; n < 150_000; n++) lines.push(row.replace('{n}', String(n)).trimEnd());
    fs.writeFileSync(big, `${lines.join('\n')}\n`);
    const file = stripAnsi(await shellOnTerminal(`${bin} upload "${big}"`, 160));
    expect(file).toMatch(/Uploading .*% \| [\d.]+\/[\d.]+ MB \| [\d.]+ MB\/s/);
    expect(file).not.toMatch(/rows\/s/);
    const stdin = stripAnsi(await shellOnTerminal(`cat "${big}" | ${bin} upload - --filename big.csv`, 160));
    expect(stdin).toMatch(/Uploading\s+\S [\d.]+ MB \| [\d.]+ MB\/s/);
    expect(stdin).not.toMatch(/ETA/);
    expect(stdin).not.toMatch(/100%/);
  }, 60_000);
});

describe('15.6 / 15.8 import removes its upload unless --keep-upload', () => {
  it('import deletes the stored file and session; --keep-upload allows a second database', async () => {
    const fileId = await mappedFileId();
    const before = uploads().length;
    const first = await cli(['import', '--file-id', fileId, '--database', `sqlite:${path.join(cwd, 'a.db')}`, '--keep-upload']);
    expect(first.code, first.stderr).toBe(0);
    expect(uploads()).toHaveLength(before);
    const second = await cli(['import', '--file-id', fileId, '--database', `sqlite:${path.join(cwd, 'b.db')}`, '--json']);
    expect(second.json()).toMatchObject({ success: true, imported: 8 });
    expect(uploads()).toHaveLength(before - 1);
    const gone = await cli(['cleanup', '--file-id', fileId]);
    expect(gone.code).toBe(2); // the session went with the upload: nothing left to clean
  });

  it('cleanup --older-than also prunes results/', async () => {
    const results = path.join(homeDir, 'results');
    fs.mkdirSync(results, { recursive: true });
    const old = path.join(results, 'import_old.rejected.csv');
    fs.writeFileSync(old, 'x\n');
    const aMonthAgo = new Date(Date.now() - 30 * 86400_000);
    fs.utimesSync(old, aMonthAgo, aMonthAgo);
    const result = await cli(['cleanup', '--older-than', '7d', '--json']);
    expect(result.json().deleted.map((f: { key: string }) => f.key)).toContain('results/import_old.rejected.csv');
    expect(fs.existsSync(old)).toBe(false);
  });
});

describe('15.7 an explicit encoding before the binary check; old Excel named', () => {
  it('UTF-16 without a BOM reads with --encoding; BIFF4 is called an old Excel format', async () => {
    const text = 'Email,First Name\nana@example.com,Ana\nbob@example.com,Bob\n';
    const le = path.join(cwd, 'u16le.csv');
    fs.writeFileSync(le, Buffer.from(text, 'utf16le'));
    const be = path.join(cwd, 'u16be.csv');
    fs.writeFileSync(be, Buffer.from(text, 'utf16le').swap16());
    const refused = await cli(['analyze', le]);
    expect(refused.code).toBe(2);
    for (const [file, encoding] of [[le, 'utf-16le'], [be, 'utf-16be']]) {
      const read = await cli(['analyze', file, '--encoding', encoding, '--json']);
      expect(read.code, read.stderr).toBe(0);
      expect(read.json()).toMatchObject({ totalRows: 2, validRows: 2, columns: ['Email', 'First Name'] });
      const run = await cli(['run', file, '--encoding', encoding, '--auto', '--database', `sqlite:${path.join(cwd, 'u16.db')}`, '--json']);
      expect(run.code, run.stderr).toBe(0);
    }
    const biff4 = path.join(cwd, 'old.xls');
    fs.writeFileSync(biff4, Buffer.concat([Buffer.from([0x09, 0x04, 0x06, 0x00, 0x00, 0x00, 0x10, 0x00]), Buffer.alloc(200, 1)]));
    const old = await cli(['analyze', biff4]);
    expect(old.code).toBe(2);
    expect(old.stderr).toMatch(/Excel 4\.0 \(or older\) worksheet, an old Excel format.*save it as an Excel Workbook \(\.xlsx\) or as CSV/);
    expect(old.stderr).not.toMatch(/binary/);
  });
});

describe('15.8 templates and status', () => {
  it('templates list / show / delete', async () => {
    const fileId = (await cli(['analyze', CSV, '--json'])).json().fileId;
    expect((await cli(['map', '--file-id', fileId, '--auto', '--save-template', 'crm'])).code).toBe(0);
    expect((await cli(['templates'])).stdout).toBe('crm\n');
    expect((await cli(['templates', 'list', '--json'])).json()).toEqual({ templates: ['crm'] });
    const shown = await cli(['templates', 'show', 'crm']);
    expect(shown.stdout).toMatch(/Email Address\s*│ email/);
    expect((await cli(['templates', 'show', 'crm', '--json'])).json().mapping).toMatchObject({ 'Email Address': 'email' });
    expect((await cli(['templates', 'delete', 'crm'])).stdout).toMatch(/deleted template "crm"/);
    const missing = await cli(['templates', 'show', 'crm']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no mapping template named "crm"/);
  });

  it('status of an import, by importId and by fileId', async () => {
    const fileId = await mappedFileId();
    const db = `sqlite:${path.join(cwd, 'status.db')}`;
    const { importId } = (await cli(['import', '--file-id', fileId, '--database', db, '--json'])).json();
    const byId = await cli(['status', importId, '--database', db, '--json']);
    expect(byId.json()).toMatchObject({ importId, status: 'completed', progress: 100, rowsDone: 12, imported: 8, stopped: false });
    const human = await cli(['status', importId, '--database', db]);
    expect(human.stdout).toMatch(new RegExp(`import ${importId} completed: 100% · 12/12 rows`));
    // The session is gone after the import; the database still knows the fileId.
    const byFile = await cli(['status', fileId, '--database', db, '--json']);
    expect(byFile.json().import).toMatchObject({ importId, status: 'completed' });
    const unknown = await cli(['status', 'import_00000000-0000-0000-0000-000000000000', '--database', db]);
    expect(unknown.code).toBe(2);
  });
});

describe('15.9 small slips', () => {
  it('--exclude-rows naming rows past the end warns', async () => {
    const fileId = await mappedFileId();
    const result = await cli(['import', '--file-id', fileId, '--database', `sqlite:${path.join(cwd, 'ex.db')}`, '--exclude-rows', '2,99']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/warning: --exclude-rows: 1 of the 2 rows given are not data rows of this file/);
  });

  it('an error names its column once', async () => {
    const fileId = (await cli(['analyze', CSV, '--json'])).json().fileId;
    const result = await cli(['map', '--file-id', fileId, '--auto', '--set', 'Email Address=bogus']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Column "Email Address" is mapped to unknown field "bogus"/);
    expect(result.stderr.match(/Email Address/g)).toHaveLength(1);
    expect(result.stderr).not.toMatch(/\(column "/);
  });

  it('an explicit --header-row is not told to pass --header-row', async () => {
    const file = path.join(FIXTURES, 'real-world', 'preamble.csv');
    const auto = await cli(['analyze', file]);
    expect(auto.stderr).toMatch(/pass --header-row/);
    const explicit = await cli(['analyze', file, '--header-row', '4']);
    expect(explicit.code, explicit.stderr).toBe(0);
    expect(explicit.stderr).toMatch(/skipped 2 lines above the header row/);
    expect(explicit.stderr).not.toMatch(/pass --header-row/);
  });

  it('SIGTERM does not say "press Ctrl-C"', async () => {
    const big = path.join(cwd, 'term.csv');
    fs.writeFileSync(big, `Email,First Name\n${Array.from({ length: 600_000 }, (_, n) => `p${n}@example.com,P`).join('\n')}\n`);
    const own = path.join(cwd, 'sigterm-home');
    const child = spawn(process.execPath, [BIN, 'analyze', big, '--home', own], { cwd, env: { ...process.env, NO_COLOR: '1' } });
    child.stdin.end();
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    // A file in uploads/ shows the upload (and so the signal handler) has started.
    const deadline = Date.now() + 15_000;
    while (!(fs.existsSync(path.join(own, 'uploads')) && fs.readdirSync(path.join(own, 'uploads')).length > 0) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGTERM');
    const code = await new Promise((r) => child.on('close', r));
    expect(code).toBe(130);
    expect(stderr).toMatch(/interrupting \(SIGTERM\)/);
    expect(stderr).not.toMatch(/Ctrl-C/);
  }, 30_000);

  it('history shows rows done of the total on every line, and JSON says stopped as the table does', async () => {
    const db = path.join(cwd, 'hist.db');
    const fileId = await mappedFileId();
    await cli(['import', '--file-id', fileId, '--database', `sqlite:${db}`]);
    // A run recorded as running by a process that is gone (as after kill -9).
    const { default: Database } = await import('better-sqlite3');
    const sqlite = new Database(db);
    sqlite.prepare("update contact_imports set status = 'running', owner = 'nohost-xyz:1', heartbeat_at = '2000-01-01T00:00:00.000Z'").run();
    sqlite.close();
    const human = await cli(['history', '--database', `sqlite:${db}`]);
    expect(human.stdout).toMatch(/stopped.*12\/12/);
    const json = await cli(['history', '--database', `sqlite:${db}`, '--json']);
    expect(json.json().imports[0]).toMatchObject({ status: 'running', stopped: true });
  });
});

describe('14.9 / 14.10 nothing followed, nothing left behind', () => {
  it('cleanup --older-than never follows a symlinked uploads/', async () => {
    const own = scratchDir('ci-symlink-');
    try {
      const victim = path.join(own.dir, 'victim');
      fs.mkdirSync(victim);
      const precious = path.join(victim, 'precious.txt');
      fs.writeFileSync(precious, 'keep me');
      const aYearAgo = new Date(Date.now() - 365 * 86400_000);
      fs.utimesSync(precious, aYearAgo, aYearAgo);
      const linkedHome = path.join(own.dir, 'home');
      fs.mkdirSync(linkedHome);
      fs.symlinkSync(victim, path.join(linkedHome, 'uploads'));
      const result = await runCli(['cleanup', '--older-than', '1d', '--json', '--home', linkedHome], { cwd: own.dir });
      expect(result.code, result.stderr).toBe(0);
      expect(result.json()).toMatchObject({ deleted: [], skipped: ['uploads/'] });
      expect(fs.readFileSync(precious, 'utf8')).toBe('keep me');
      const human = await runCli(['cleanup', '--older-than', '1d', '--home', linkedHome], { cwd: own.dir });
      expect(human.stderr).toMatch(/symbolic link/);
    } finally {
      own.cleanup();
    }
  });

  it('a run that does not import removes its upload', async () => {
    const before = uploads().length;
    const refused = await cli(['run', CSV, '--auto', '--database', `sqlite:${path.join(cwd, 'run.db')}`, '--max-invalid', '1']);
    expect(refused.code).toBe(3);
    expect(uploads()).toHaveLength(before);
    const failed = await cli(['run', CSV, '--auto', '--database', `sqlite:${path.join(cwd, 'no-such-dir', 'x', 'run.db')}`]);
    expect(failed.code).not.toBe(0);
    expect(uploads()).toHaveLength(before);
    const kept = await cli(['run', CSV, '--auto', '--database', `sqlite:${path.join(cwd, 'run.db')}`, '--max-invalid', '1', '--keep-upload']);
    expect(kept.code).toBe(3);
    expect(uploads()).toHaveLength(before + 1);
  });
});
