// Files built to exhaust memory are read or refused within bounded time and memory (issue 14):
// the refusal is exit 2 and one line naming the limit, the session is left in 'error' (not
// 'analyzing'), and a re-run is refused the same way. Peak memory is read from /usr/bin/time.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { workbookEntries } from '../../fixtures/workbook-writer.mjs';
import { zip } from '../../fixtures/zip-writer.mjs';
import { BIN, runCli, scratchDir } from '../helpers/cli.js';

const scratch = scratchDir('ci-hostile-limits-');
const cwd = scratch.dir;
afterAll(() => scratch.cleanup());

interface Measured {
  code: number | null;
  stdout: string;
  stderr: string;
  maxRssMb: number;
  seconds: number;
}

/** Runs the built CLI under /usr/bin/time and reads its peak resident memory. */
function measured(args: string[], env: Record<string, string>): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn('/usr/bin/time', ['-f', 'MAXRSS_KB=%M', process.execPath, BIN, ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: '1', CI: 'true', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.stdin.end();
    child.on('close', (code) => {
      const kb = /MAXRSS_KB=(\d+)/.exec(stderr);
      if (!kb) return reject(new Error(`no /usr/bin/time output: ${stderr}`));
      resolve({ code, stdout, stderr: stderr.replace(/^(MAXRSS_KB=\d+|Command exited with non-zero status \d+)\n?/gm, ''), maxRssMb: Number(kb[1]) / 1024, seconds: (Date.now() - started) / 1000 });
    });
  });
}

/** A workbook of `count` tiny shared strings and one empty `<si/>`, deflated like Excel's. */
function manyStringsBook(count: number): string {
  const items: string[] = ['<si><t>Email</t></si><si><t>Name</t></si><si/>'];
  for (let i = 0; i < count; i++) items.push(`<si><t>${i.toString(36)}</t></si>`);
  const sst = Buffer.from(
    `<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${items.join('')}</sst>`,
  );
  const rows = '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row><row r="2"><c r="A2" t="s"><v>3</v></c></row>';
  const entries = workbookEntries({ strings: ['Email', 'Name'], rows }).map((entry: { name: string }) =>
    entry.name === 'xl/sharedStrings.xml' ? { name: entry.name, deflated: deflateRawSync(sst), size: sst.length, crc: crc32(sst) } : entry,
  );
  const file = path.join(cwd, 'many-strings.xlsx');
  fs.writeFileSync(file, zip(entries));
  return file;
}

describe('a workbook of millions of tiny shared strings and an empty <si/>', () => {
  it('is refused at XLSX_MAX_SHARED_STRINGS with bounded memory, the session left in error, and again on a re-run', async () => {
    const file = manyStringsBook(1_200_000);
    const home = path.join(cwd, 'home-strings');
    const env = { XLSX_MAX_SHARED_STRINGS: '500000' };
    const uploaded = await runCli(['upload', file, '--json', '--home', home], { cwd, env });
    expect(uploaded.code, uploaded.stderr).toBe(0);
    const { fileId } = uploaded.json();

    for (const attempt of [1, 2]) {
      const run = await measured(['analyze', '--file-id', fileId, '--home', home], env);
      expect(run.code, `attempt ${attempt}: ${run.stderr}`).toBe(2);
      expect(run.stderr.trim().split('\n')).toEqual([
        'error: many-strings.xlsx is too large to read: it has more than 500000 shared strings (the limit)' +
          ' — export the sheet as CSV, or raise XLSX_MAX_SHARED_STRINGS if the machine has the memory',
      ]);
      expect(run.maxRssMb, `attempt ${attempt}`).toBeLessThan(300);
      expect(run.seconds).toBeLessThan(15);
    }
    const status = await runCli(['status', fileId, '--json', '--home', home], { cwd, env });
    expect(status.stdout).toMatch(/"status": "error"/);
    expect(status.stdout).toMatch(/TOO_LARGE|too large to read/);

    // Under the limit it reads, the <si/> as an empty string (no fallback to the whole-file reader).
    const read = await measured(['analyze', '--file-id', fileId, '--json', '--home', home], { XLSX_MAX_SHARED_STRINGS: '2000000', XLSX_MAX_WHOLE_MB: '1' });
    expect(read.code, read.stderr).toBe(0);
    expect(JSON.parse(read.stdout)).toMatchObject({ totalRows: 1, columnSummary: { Email: { samples: ['0'] } } });
    expect(read.maxRssMb).toBeLessThan(400);
  }, 60_000);
});

describe('a CSV of huge cells', () => {
  it('keeps a bounded sample in state, long cells cut with a marker', async () => {
    const file = path.join(cwd, 'huge-cells.csv');
    const notes = 'lorem ipsum '.repeat(50_000);
    fs.writeFileSync(file, `email,notes\n${Array.from({ length: 40 }, (_, i) => `u${i}@example.com,${notes}`).join('\n')}\n`);
    const home = path.join(cwd, 'home-cells');
    const run = await measured(['analyze', file, '--json', '--home', home], {});
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).totalRows).toBe(40);
    const state = path.join(home, 'state');
    const analysis = fs.readdirSync(state).find((name) => /^analysis%3Afile_[^%]+\.json$/.test(name))!;
    expect(fs.statSync(path.join(state, analysis)).size).toBeLessThan(200_000);
    const stored = JSON.parse(fs.readFileSync(path.join(state, analysis), 'utf8'));
    const sampleText = JSON.stringify(stored);
    expect(stored.sampleRows ?? stored.value?.sampleRows).toBeDefined();
    expect(sampleText).toMatch(/… \[cut: 600000 characters\]/);
  }, 30_000);
});
