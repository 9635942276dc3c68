// Fix-and-re-import: the rejected-rows file of one run is a file the next run reads as the
// original export (guard off, _row/_field/_reason not mapped), and its own rejected-rows file
// has those columns once, not twice.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURES, runCli, scratchDir } from '../helpers/cli.js';
import { readResultsCsv } from '../helpers/import-runs.js';

const scratch = scratchDir('ci-reimport-');
afterAll(() => scratch.cleanup());

describe('re-importing a rejected-rows file', () => {
  it('reads it as the original columns and writes its rejections with the same header', { timeout: 120_000 }, async () => {
    const cwd = scratch.dir;
    const home = ['--home', path.join(cwd, 'home')];
    const db = `sqlite:${path.join(cwd, 'contacts.db')}`;
    const first = path.join(cwd, 'rejected.csv');
    const ran = await runCli(['run', path.join(FIXTURES, 'contacts.csv'), '--auto', '--database', db, '--errors-out', first, '--json', ...home], { cwd });
    expect(ran.code, ran.stderr).toBe(0);
    const original = readResultsCsv(first);
    expect(original.header.slice(-3)).toEqual(['_row', '_field', '_reason']);

    // Fix Frank's phone ("12") in the file, as a person would, and import the file again.
    const fixed = path.join(cwd, 'fixed.csv');
    fs.writeFileSync(fixed, fs.readFileSync(first, 'utf8').replace('frank@example.com,Frank,O\'Brien,12,', 'frank@example.com,Frank,O\'Brien,(212) 555-0199,'));
    const second = path.join(cwd, 'rejected-again.csv');
    const again = await runCli(['run', fixed, '--auto', '--database', db, '--errors-out', second, '--json', ...home], { cwd });
    expect(again.code, again.stderr).toBe(0);
    const result = again.json();
    expect(Object.keys(result)).toContain('imported');
    expect(result.imported).toBe(1); // Frank
    const rejected = readResultsCsv(second);
    expect(rejected.header).toEqual(original.header);
    expect(rejected.records.map((r) => r['Email Address']).sort()).toEqual(
      original.records.map((r) => r['Email Address']).filter((e) => e !== 'frank@example.com').sort(),
    );
  });
});
