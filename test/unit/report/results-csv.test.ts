import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ResultsCsv } from '../../../src/report/results-csv.js';

describe('ResultsCsv', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ci-results-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('neutralizes formula-like cells, header included, and keeps the rest verbatim', async () => {
    const file = path.join(dir, 'out', 'rejected.csv');
    const csv = await ResultsCsv.open(file, ['=Email', 'Name', '_row']);
    await csv.add(['=HYPERLINK("http://x")', '+1 555', '7']);
    await csv.add(['-2', '@SUM(A1)', '8']);
    await csv.add(['\tTab', '\rCR', '9']);
    await csv.add(['a=b', 'Zoë, "Z" \n second line', '10']);
    expect(await csv.commit()).toBe(file);
    expect(parse(fs.readFileSync(file, 'utf8'))).toEqual([
      ["'=Email", 'Name', '_row'],
      [`'=HYPERLINK("http://x")`, "'+1 555", '7'],
      ["'-2", "'@SUM(A1)", '8'],
      ["'\tTab", "'\rCR", '9'],
      ['a=b', 'Zoë, "Z" \n second line', '10'],
    ]);
  });

  it('shows nothing under the real name until committed, and nothing at all once discarded', async () => {
    const file = path.join(dir, 'rejected.csv');
    const csv = await ResultsCsv.open(file, ['Email']);
    await csv.add(['a@b.co']);
    expect(fs.existsSync(file)).toBe(false);
    await csv.discard();
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('never follows a symlink planted where its temporary file could be, and keeps the file private', async () => {
    // A shared folder: someone else planted links at every name the old code could have used.
    const victim = path.join(dir, 'victim.txt');
    fs.writeFileSync(victim, 'precious\n');
    fs.chmodSync(victim, 0o644);
    const file = path.join(dir, 'rejected.csv');
    for (const name of [`rejected.csv.${process.pid}.part`, `.rejected.csv.${process.pid}.part`]) fs.symlinkSync(victim, path.join(dir, name));
    const csv = await ResultsCsv.open(file, ['Email']);
    await csv.add(['a@b.co']);
    // While it is written: one new temporary file, a regular private file, not a link.
    const temps = fs.readdirSync(dir).filter((name) => name.endsWith('.part') && !fs.lstatSync(path.join(dir, name)).isSymbolicLink());
    expect(temps).toHaveLength(1);
    expect(fs.lstatSync(path.join(dir, temps[0]!)).mode & 0o777).toBe(0o600);
    await csv.commit();
    expect(fs.readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(fs.lstatSync(file).isFile()).toBe(true);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(parse(fs.readFileSync(file, 'utf8'))).toEqual([['Email'], ['a@b.co']]);
  });

  it('creates the folders it needs owner-only', async () => {
    const file = path.join(dir, 'a', 'b', 'rejected.csv');
    const csv = await ResultsCsv.open(file, ['Email']);
    await csv.commit();
    expect(fs.statSync(path.join(dir, 'a')).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(dir, 'a', 'b')).mode & 0o777).toBe(0o700);
  });
});
